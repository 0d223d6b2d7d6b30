"""rich where people look: progress on stderr and kubesim's own tables, only on a terminal.

Nothing here imports rich until it draws something, and it draws only when the stream is a terminal:
piped or redirected, every command prints what it always printed. kubectl-compatible output never
goes through rich; kubesim's own commands (``cluster info``, ``clock show``, ``version``) and long
work (``create -f`` of many objects, ``scale`` to many replicas) do.
"""

from __future__ import annotations

from kubesim.env import Env

TYPE_CHECKING = False  # typing costs a few ms per command; annotations alone need it
if TYPE_CHECKING:
    from rich.console import Console

# Below this many steps the work is over before a bar could be read.
LONG_WORK = 20


def console_for(env: Env, stderr: bool = False) -> Console:
    """A rich console on the environment's own stream, as wide as the terminal says."""
    from rich.console import Console

    width = env.variables.get("COLUMNS", "")
    return Console(file=env.stderr if stderr else env.stdout, force_terminal=True,
                   width=int(width) if width.isdigit() else None, highlight=False)


class ProgressBar:
    """A transient bar on stderr for long work; a no-op (and no rich import) otherwise.

    While the bar is drawn, lines meant for a stdout that is the same terminal are printed above it,
    so the two never tear each other; when stdout is a file or a pipe they go there untouched.
    """

    def __init__(self, env: Env, total: int, description: str) -> None:
        self.env = env
        self.total = total
        self.description = description
        self._progress = None
        self._task = None

    @property
    def drawing(self) -> bool:
        return self._progress is not None

    def __enter__(self) -> ProgressBar:
        self._start_when_long()
        return self

    def grow(self, steps: int) -> None:
        """Work found on the way (the pods a scale will make): the bar appears once it is long."""
        self.total += steps
        if self._progress is not None:
            self._progress.update(self._task, total=self.total)
        else:
            self._start_when_long()

    def _start_when_long(self) -> None:
        if self.env.stderr_is_terminal and self.total >= LONG_WORK:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=console_for(self.env, stderr=True), transient=True,
                redirect_stdout=False, redirect_stderr=False)
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=self.total)

    def advance(self, steps: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, steps)

    def write(self, text: str) -> bool:
        """Print ``text`` above the bar when stdout shares its terminal; False when the caller should."""
        if self._progress is None or not self.env.stdout_is_terminal:
            return False
        self._progress.console.out(text, end="", highlight=False)
        return True

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def print_facts(env: Env, title: str, rows: list[tuple[str, str]]) -> None:
    """kubesim's own key/value reports: a rich table on a terminal, aligned ``Key:  value`` lines otherwise."""
    if not env.stdout_is_terminal:
        width = max(len(key) for key, _ in rows) + 2
        env.stdout.write("".join(f"{key + ':':<{width}}{value}\n" for key, value in rows))
        return
    from rich.table import Table

    table = Table(title=title, show_header=False, title_justify="left", title_style="bold")
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key, value in rows:
        table.add_row(key, value)
    console_for(env).print(table)


def print_done(env: Env, headline: str, rest: str) -> None:
    """A one-line report: ``headline`` in green on a terminal; plain ``headline rest`` otherwise."""
    if not env.stdout_is_terminal:
        env.stdout.write(f"{headline} {rest}\n")
        return
    from rich.markup import escape

    console_for(env).print(f"[bold green]{escape(headline)}[/] {escape(rest)}")
