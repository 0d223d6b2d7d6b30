"""The book's manifests (tests/book), read the way kubesim's front door reads YAML."""

from __future__ import annotations

from typing import Any

import yaml

from tests.conftest import CORPUS


def manifest(relative: str) -> dict[str, Any]:
    with (CORPUS / relative).open() as handle:
        return yaml.safe_load(handle)


def all_manifests() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(CORPUS.glob("**/*.yaml")):
        with path.open() as handle:
            for document in yaml.safe_load_all(handle):
                if document:
                    found.append((str(path.relative_to(CORPUS)), document))
    return found
