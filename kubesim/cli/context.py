"""What a verb receives: the environment, its parsed flags and arguments, and the cluster."""

from __future__ import annotations

from functools import cached_property

from kubesim.cli.flags import Command, Parsed
from kubesim.env import Env

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from typing import Any


class Invocation:
    def __init__(self, env: Env, command: Command, parsed: Parsed) -> None:
        self.env = env
        self.command = command
        self.options: dict[str, Any] = parsed.options
        self.args = parsed.args
        self.args_after_dash = parsed.args_after_dash
        self.given = parsed.given
        self._cluster = None

    @cached_property
    def cluster(self):
        from kubesim.cluster import open_cluster

        self._cluster = open_cluster(self.env)
        return self._cluster

    @property
    def namespace(self) -> str:
        return self.options.get("namespace") or "default"

    @property
    def namespace_given(self) -> bool:
        return bool(self.options.get("namespace"))

    def out(self, text: str) -> None:
        self.env.stdout.write(text)

    def err(self, text: str) -> None:
        self.env.stderr.write(text)

    def warn(self, warnings: list[str]) -> None:
        for warning in warnings:
            self.err(f"Warning: {warning}\n")

    def close(self) -> None:
        if self._cluster is not None:
            self._cluster.close()
