"""What one ``kubectl exec`` shares between every shell and tool it runs: the step budget,
process ids, and the simulated time that ``sleep`` and ``ping`` spend.

Nothing here touches the host clock. ``sleep 5`` adds 5 s to ``elapsed`` and returns at once; the
cluster clock (``kubesim clock``) does not move, because a command inside a pod cannot change
the cluster's time: AGE, probes and session affinity only follow ``kubesim clock advance``.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kubesim.runtime.shell.errors import BudgetExceeded

DEFAULT_STEP_LIMIT = 250_000
"""Commands, loop rounds and output lines one exec may run: far above any real use (a loop of
1,000 curls costs ~3,000), low enough that ``while true; do :; done`` stops in about a second."""

BUDGET_EXIT_STATUS = 130
"""Stopped like a user's ^C would stop it: kubectl then prints ``command terminated with exit code 130``."""


@dataclass
class Session:
    limit: int = DEFAULT_STEP_LIMIT
    steps: int = 0
    elapsed: float = 0.0
    next_pid: int = 7
    shells: int = 0

    def tick(self, count: int = 1) -> None:
        """Charge steps; raises ``BudgetExceeded`` once the exec has used its allowance."""
        self.steps += count
        if self.steps > self.limit:
            raise BudgetExceeded(self.limit)

    def new_pid(self) -> int:
        self.next_pid += 1
        return self.next_pid

    def sleep(self, seconds: float) -> None:
        self.elapsed += max(0.0, seconds)


_CURRENT: contextvars.ContextVar[Session | None] = contextvars.ContextVar("kubesim_shell_session", default=None)


def current() -> Session:
    """The running exec's session; a tool run on its own (``exec POD -- seq 1 5``) gets a fresh one."""
    session = _CURRENT.get()
    return session if session is not None else Session()


@contextmanager
def activate(session: Session | None = None) -> Iterator[Session]:
    """Make a session current for one exec (the runtime does this); nested calls reuse it."""
    existing = _CURRENT.get()
    if existing is not None:
        yield existing
        return
    chosen = session or Session()
    token = _CURRENT.set(chosen)
    try:
        yield chosen
    finally:
        _CURRENT.reset(token)


@contextmanager
def shell_scope() -> Iterator[tuple[Session, bool]]:
    """A shell's hold on the session; ``outermost`` is True for the first shell of the exec,
    the one that reports a runaway script instead of passing the stop up to its parent."""
    with activate() as session:
        session.shells += 1
        try:
            yield session, session.shells == 1
        finally:
            session.shells -= 1


def stop_message_or_raise(proc, exceeded: BudgetExceeded) -> int:
    """For a tool that charges the budget (``seq``): report the stop when no shell is running it."""
    session = _CURRENT.get()
    if session is not None and session.shells > 0:
        raise exceeded
    proc.err(budget_message(exceeded.limit) + "\n")
    return BUDGET_EXIT_STATUS


def budget_message(limit: int) -> str:
    return (f"kubesim: stopped after {limit} steps: the script looks like a loop that never ends "
            f"(kubesim stops runaway loops instead of waiting for ^C)")
