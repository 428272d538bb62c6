"""Run by bench_inbox.py in a fresh process: how soon a bare Textual app (one line of text and a
footer) paints on this machine, at this moment, measured as `_app_probe.py --paint-only` measures
cminbox. It is the floor under cminbox's own cold start: what importing and starting Textual
costs here, which varies with the machine and its load.

argv: PARENT_START_EPOCH. Prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

PARENT_START = float(sys.argv[1])


class Bare(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("hello")
        yield Footer()


async def main() -> None:
    app = Bare()
    painted = asyncio.Event()
    original = app._display

    def display(screen, renderable) -> None:
        if renderable is not None and not painted.is_set():
            renderable.render_segments(app.console)
            print(json.dumps({"first_paint_s": time.time() - PARENT_START}))
            painted.set()
        original(screen, renderable)

    app._display = display  # type: ignore[method-assign]
    async with app.run_test(size=(160, 45)):
        await painted.wait()


asyncio.run(main())
