"""kubectl's REST mapping of a manifest's apiVersion and kind to a served resource."""

from __future__ import annotations

from kubesim.api.registry import Kind, kind_for
from kubesim.errors import KubectlError


class MappingError(KubectlError):
    """A manifest names a kind/version the server does not serve (fails that object alone)."""


def kind_of_manifest(manifest) -> Kind:
    obj = manifest.obj
    api_version = str(obj.get("apiVersion", ""))
    kind_name = str(obj.get("kind", ""))
    kind = kind_for(api_version, kind_name)
    if kind is None:
        metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        name = metadata.get("name", "")
        namespace = metadata.get("namespace", "")
        raise MappingError(
            f'resource mapping not found for name: "{name}" namespace: "{namespace}" from "{manifest.source}": '
            f'{no_match_text(api_version, kind_name)}\nensure CRDs are installed first')
    return kind


def no_match_text(api_version: str, kind: str) -> str:
    return f'no matches for kind "{kind}" in version "{api_version}"'
