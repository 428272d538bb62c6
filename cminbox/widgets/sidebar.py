"""The left column: workspaces, folders with their counts, and each source's health.

Everything is drawn from plain strings into a `Text` (names from config and sources are data,
never markup); clickable rows carry an action in their style's meta, as Textual links do.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from ..store import FOLDERS, SourceHealth, Workspace, folder_key
from ..textsafe import one_line
from ..timefmt import age

_WIDTH = 26

# Health state -> (mark, style) shown before a source's name.
_HEALTH = {
    "ok": ("✓", "green"),
    "idle": ("·", "dim"),
    "syncing": ("↻", "cyan"),
    "backoff": ("⏸", "yellow"),
    "reauth": ("⚠", "bold red"),
    "error": ("✗", "red"),
}


def source_status(source: SourceHealth, now: float) -> str:
    """One short phrase for a source's health: "ok 1m ago", "backing off 4m", "needs re-auth"."""
    if source.state == "reauth":
        return "needs re-auth"
    if source.state == "backoff" and source.next_try:
        return f"retry in {age(source.next_try - now)}"
    if source.state == "syncing":
        return "syncing…"
    if source.state == "error":
        return f"error {age(now - (source.last_error_at or now))} ago"
    if source.last_success:
        ago = age(now - source.last_success)
        return "ok just now" if ago == "now" else f"ok {ago} ago"
    return "never synced"


class Sidebar(Widget):
    DEFAULT_CSS = f"""
    Sidebar {{
        width: {_WIDTH};
        height: 1fr;
        border: round $panel-lighten-2;
        padding: 0 1;
    }}
    """

    def __init__(self, clock: Callable[[], float] = time.time, **kwargs) -> None:
        super().__init__(**kwargs)
        self.clock = clock
        self.workspaces: list[Workspace] = []
        self.workspace_id: int | None = None
        self.counts: dict[str, int] = {}
        self.folder = "all"
        self.sources: list[SourceHealth] = []
        self.searching: str | None = None

    def show(
        self,
        *,
        workspaces: list[Workspace],
        workspace_id: int | None,
        counts: dict[str, int],
        folder: str,
        sources: list[SourceHealth],
        searching: str | None = None,
    ) -> None:
        self.workspaces, self.workspace_id = workspaces, workspace_id
        self.counts, self.folder, self.sources, self.searching = counts, folder, sources, searching
        self.refresh()

    def render(self) -> Text:
        now = self.clock()
        inner = max(8, self.size.width)
        out = Text(no_wrap=True, overflow="ellipsis")
        if len(self.workspaces) > 1:
            out.append("Workspaces  w\n", style="bold")
            for ws in self.workspaces:
                current = ws.id == self.workspace_id
                click = Style(meta={"@click": f"app.switch_workspace({ws.id})"})
                out.append(("▸ " if current else "  ") + one_line(ws.name, inner - 3) + "\n",
                           style=Style(bold=current) + click)
            out.append("\n")
        out.append("Folders\n", style="bold")
        for number, folder in enumerate(FOLDERS, start=1):
            current = folder.key == self.folder and self.searching is None
            count = str(self.counts.get(folder.key, 0))
            label = f"{'▸' if current else ' '} {folder_key(number)} {folder.label}"
            click = Style(meta={"@click": f"app.show_folder('{folder.key}')"})
            out.append(label, style=Style(bold=current) + click)
            alarm = folder.key in ("complaints", "outbox") and count != "0"
            out.append(count.rjust(max(1, inner - len(label))) + "\n", style="bold red" if alarm else ("bold" if current else ""))
        if self.searching is not None:
            out.append("▸ / " + one_line(self.searching, inner - 5) + "\n", style="bold")
        out.append("\nSources\n", style="bold")
        if not self.sources:
            out.append("  none configured\n", style="dim")
        for source in self.sources:
            mark, mark_style = _HEALTH.get(source.state, ("?", "dim"))
            out.append(f"{mark} ", style=mark_style)
            out.append(one_line(source.label, inner - 2) + "\n")
            out.append("  " + source_status(source, now) + "\n", style="dim")
            if source.last_error and source.state in ("error", "backoff", "reauth"):
                out.append("  " + one_line(source.last_error, inner - 3) + "\n", style="red")
        return out
