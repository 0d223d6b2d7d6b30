"""The book's §5.7 checklist ("when a service doesn't answer"), run against the cluster.

Each check is a function from a subject (``service.Subject``, ``pod.Subject`` …) to findings; the
checks of a kind are a plain list (``service.CHECKS``), so a new one is a function appended there.
A finding says what was checked, a verdict, the evidence and — when it fails — the fix.

Verdicts: ``ok``, ``fail`` (the reason a request does not get through), ``warn`` (works, but not
everywhere or not for long), ``info`` (advice that is always true), ``skip`` (nothing to check).
"""

from __future__ import annotations

from dataclasses import dataclass, field

VERDICTS = ("ok", "fail", "warn", "info", "skip")

# Exit codes of ``kubesim diagnose``: 0 no check failed (warnings allowed), 3 at least one failed;
# 1 is kubectl's own for a command that could not run (bad input, object not found).
EXIT_HEALTHY = 0
EXIT_FAILED = 3


@dataclass
class Finding:
    check: str  # a short, stable name: "selector", "endpoints", "target-port" …
    verdict: str
    title: str
    evidence: list[str] = field(default_factory=list)
    fix: str = ""

    def as_json(self) -> dict:
        return {"check": self.check, "verdict": self.verdict, "title": self.title, "evidence": self.evidence,
                "fix": self.fix}


@dataclass
class Report:
    kind: str
    namespace: str
    name: str
    findings: list[Finding]

    @property
    def failed(self) -> list[Finding]:
        return [f for f in self.findings if f.verdict == "fail"]

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.failed else EXIT_HEALTHY

    def as_json(self) -> dict:
        return {"kind": self.kind, "namespace": self.namespace, "name": self.name, "healthy": not self.failed,
                "exitCode": self.exit_code, "checks": [f.as_json() for f in self.findings]}


def run_checks(checks, subject) -> list[Finding]:
    findings: list[Finding] = []
    for check in checks:
        findings += check(subject)
    return findings


def similar(word: str, candidates) -> list[str]:
    """Names a typo of ``word`` could have meant (difflib's ratio, as ``get_close_matches``)."""
    from difflib import get_close_matches

    return get_close_matches(word, list(candidates), n=3, cutoff=0.6)


def names(objs, limit: int = 5) -> str:
    shown = [o["metadata"]["name"] for o in objs]
    rest = len(shown) - limit
    return ", ".join(shown[:limit]) + (f" and {rest} more" if rest > 0 else "")


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
