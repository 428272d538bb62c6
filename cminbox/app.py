"""The inbox app: three columns over the local cache, driven by the keyboard.

The app owns the current view (workspace, folder or search) and turns key presses into store
writes; widgets only draw what they are given. Slow work (the full id list of a big folder,
feeding the demo) runs in workers that post results back.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sqlite3
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from datetime import datetime
from pathlib import Path

# A key press is painted at the next of Textual's frame ticks: at its default 60 a second the
# wait alone reaches 16.7 ms, so `j` could take two frames of a 60 Hz screen. At 120 it stays
# within one (bench/bench_inbox.py). Ticks only run while something changed: idle costs nothing.
# Set before Textual is imported (it reads this once); TEXTUAL_FPS in the environment still wins.
os.environ.setdefault("TEXTUAL_FPS", "120")

# Importing Textual and the app creates a few hundred thousand objects that live as long as the
# app: the garbage collector's full passes over them find nothing to free, and one used to land
# in the first paint (40-50 ms of it). No collection while importing; at the end of this module
# they are frozen out of later collections (gc.freeze) and collection resumes.
_COLLECTING = gc.isenabled()
gc.disable()

from rich.text import Text  # noqa: E402
from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .sources.base import Source
    from .sources.demo import DemoFeed
    from .sync import Engine

from . import health
from .answering import Answering
from .bell import Bell
from .browser import open_url
from .clipboard import copied, copy_text
from .commands import InboxCommands
from .config import Config
from .crisis import BUZZ_CHECK_SECONDS, Crisis, CrisisMode
from .idle_gc import IdleCollector
from .messages import Rescored, StoreChanged
from .models import STATUS_DONE, STATUS_OPEN, STATUS_SNOOZED
from .moderating import Moderating
from .outbox import Outbox, Senders
from .paths import replies_dir
from .screens.footer_order import DeclaredOrder
from .screens.sentiment import CLEAR, SentimentScreen
from .store import FOLDER_BY_KEY, FOLDERS, Store, StoreError, Workspace
from .terminal_watch import CHECK_SECONDS, HANGUP, TerminalWatch
from .textsafe import one_line, safe_url
from .timefmt import clock_time
from .widgets.buzzbanner import BuzzBanner
from .widgets.detail import DetailData, DetailPane
from .widgets.message_list import MessageList
from .widgets.sidebar import Sidebar
from .widgets.triage import TriageColumn

# Rows loaded synchronously so the first paint is immediate; the rest follow in a worker.
FIRST_PAGE = 300
POLL_SECONDS = 1.0
PROBLEM_REPEAT_SECONDS = 60.0  # the same error, met again and again by retries, is said again after this long
_DATABASE_PROBLEM = "Database problem: "
CLOCK_REFRESH_SECONDS = 15.0
MARK_READ_AFTER = 1.5
DETAIL_DEBOUNCE = 0.04
TRIAGE_ROWS = 40
THREAD_ROWS = 20  # shown below the message (the one it answers above it)
UNDO_DEPTH = 50


@dataclass(slots=True)
class View:
    """What the message list shows: a folder, or search results, of one workspace."""

    workspace: Workspace | None
    folder: str = "all"
    query: str | None = None
    generation: int = 0
    expiring: bool = False  # open DMs whose messaging window closes soonest first (E)
    crisis: Crisis | None = None  # crisis mode: the list is the spike's items


@dataclass(slots=True)
class UndoStep:
    label: str
    snapshot: list[tuple] = field(default_factory=list)
    # A change made on a network (hiding a comment) is undone on the network: this starts it.
    network_undo: Callable[[], object] | None = None


def _folder_bindings() -> list[Binding]:
    return [
        Binding(folder.hotkey, f"show_folder('{folder.key}')", f"Go to {folder.label}", id=f"folder.{folder.key}", show=False)
        for folder in FOLDERS
    ]



class InboxScreen(DeclaredOrder, Screen):
    """The inbox's screen: its footer keeps the declared order under a `[keys]` table."""

class InboxApp(Answering, Moderating, CrisisMode, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "cminbox"
    COMMANDS = App.COMMANDS | {InboxCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (130, "-wide")]

    # Every key of the inbox is a priority binding: it acts the moment it reaches the app, in the
    # order keys were typed. Keys typed in one burst (a fast typist, a paste, one SSH packet) go
    # where they were meant: "jjr" replies on the row two down (the list's movement keys are
    # priority too), "jdj" marks the second row done, "s45m" snoozes for 45 minutes and
    # "rBonjour" types "Bonjour" in the composer (see screens/typed_ahead.py). A key a text field
    # takes, or one pressed while a dialog is up, is theirs (`check_action`).
    BINDINGS = [
        # Declared first: the footer follows declared order (screens/footer_order.py) and at 80
        # columns it is cut after a few keys; the help, which lists every key, must stay in view.
        Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
        Binding("r", "reply", "Reply", id="inbox.reply"),
        Binding("R", "pick_reply", "Saved replies", id="inbox.pick_reply", key_display="R"),
        Binding("d", "done", "Done", id="inbox.done"),
        Binding("u", "unread", "Unread", id="inbox.unread", show=False),
        Binding("s", "snooze", "Snooze", id="inbox.snooze"),
        Binding("asterisk", "star", "Star", id="inbox.star", key_display="*"),
        Binding("x", "select", "Select", id="inbox.select"),
        Binding("X", "select_all", "Select all in this view", id="inbox.select_all", key_display="X", show=False),
        Binding("y", "retry_reply", "Retry the unsent reply", id="inbox.retry_reply", show=False),
        Binding("exclamation_mark", "complaint", "Complaint yes/no", id="inbox.complaint", key_display="!", show=False),
        Binding("m", "sentiment", "Set sentiment", id="inbox.sentiment", show=False),
        Binding("z", "undo", "Undo", id="inbox.undo", show=False),
        Binding("c", "copy", "Copy text", id="inbox.copy", show=False),
        Binding("o", "open_link", "Open in browser", id="inbox.open_link", show=False),
        Binding("slash", "search", "Search", id="view.search", key_display="/"),
        Binding("n", "next_urgent", "Next urgent", id="view.next_urgent"),
        Binding("w", "next_workspace", "Next workspace", id="view.workspace", show=False),
        Binding("H", "hide", "Hide / unhide comment on the network", id="inbox.hide", key_display="H", show=False),
        Binding("E", "show_expiring", "DMs whose reply window closes soonest", id="view.expiring", key_display="E", show=False),
        Binding("b", "crisis", "Crisis mode (bad buzz)", id="view.crisis", show=False),
        Binding("dollar_sign", "sync_now", "Sync sources now", id="sources.sync", key_display="$", show=False),
        Binding("escape", "back", "Back / clear selection", id="view.back", show=False),
        *_folder_bindings(),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]
    BINDINGS = [replace(binding, priority=True) for binding in BINDINGS]
    _KEYED_ACTIONS = frozenset(binding.action.partition("(")[0] for binding in BINDINGS)

    def __init__(
        self,
        store: Store,
        *,
        config: Config | None = None,
        demo: DemoFeed | None = None,
        clock: Callable[[], float] = time.time,
        live: bool = True,
        sync: bool = True,
        notices: list[str] | None = None,
        sources: Mapping[str, Source] | None = None,
        senders: Senders | None = None,
        replies_folder: Path | None = None,
        terminal: TerminalWatch | None = None,
    ) -> None:
        super().__init__()
        self.terminal = terminal or TerminalWatch(None)
        self.init_sources(sources)
        self.store = store
        self.config = config or Config()
        self.terminal_bell = Bell(self.config.bell, self.bell)
        self.senders = senders or Senders()
        if self.senders.fallback is None:
            # Replies to a configured source's messages go through the same source as its sync.
            self.senders.fallback = self.source_for
        self.outbox = Outbox(store, self.senders, clock=clock)
        self.replies_dir = replies_folder or self.config.replies or replies_dir()
        # Crisis replies first in the picker though no crisis mode is on (the palette toggles it);
        # in crisis mode (`b`, `self.crisis`) they come first anyway.
        self.pin_crisis_replies = False
        self.demo = demo
        self.clock = clock
        self.live = live
        self._idle_gc = IdleCollector()
        self.sync = sync
        self.engine: Engine | None = None
        self._source_states: dict[str, str] = {}
        self._failing: list = []  # this workspace's sources in trouble (health.FAILING), from refresh_panels
        self.notices = notices or []
        self.view = View(workspace=None)
        self.undo_stack: list[UndoStep] = []
        self.watermark = 0
        self._data_version = -1
        self._problems_said: dict[str, float] = {}  # error text -> when it was last said
        self._read_timer = None
        self._key_in_flight: events.Key | None = None
        self._search_timer = None
        self._detail_id: int | None = None
        self._had_message: bool | None = None
        self._buzz_checked = 0.0

    # -- layout ---------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return InboxScreen(id="_default")

    def compose(self) -> ComposeResult:
        # No container widgets: the footer, then the side columns, are split off the screen's
        # edges (app.tcss), and the middle stacks down what is left. Textual re-renders every
        # widget whose clip a change touches on each frame, containers' blank lines included.
        yield Footer(id="footer", compact=True)  # every key fits 120 columns
        remapped = {f.key: self.config.keymap[f"folder.{f.key}"].split(",")[0].strip() for f in FOLDERS if f"folder.{f.key}" in self.config.keymap}
        yield Sidebar(self.clock, remapped, id="sidebar")
        yield TriageColumn(self.clock, next_key=self.key_shown("view.next_urgent"), id="triage")
        yield BuzzBanner(id="buzz")
        # Short enough for the list's width at 100 columns (66): a cut hint hid enter and escape.
        yield Input(placeholder="words, \"a phrase\", -word, from:name · enter: list · esc: close", id="search")
        yield MessageList(self.store, self.clock, id="messages")
        yield DetailPane(id="detail")

    @property
    def inbox(self) -> Screen:
        """The inbox's own screen. `App.query_one` looks only at the active screen, which is a
        modal (composer, picker, help…) whenever one is open: widgets are found here instead."""
        return self.screen_stack[0]

    @property
    def message_list(self) -> MessageList:
        return self.inbox.query_one(MessageList)

    def on_mount(self) -> None:
        self.opened_at = self.clock()  # an alert that fired before this rings no bell (crisis.show_buzz)
        if self.config.keymap:
            from .keyids import keymap_problems

            self.set_keymap(self.config.keymap)
            for said in keymap_problems(self.config.keymap):
                self.notify(Content(said), severity="warning", timeout=20)
        for notice in self.notices:
            self.notify(Content(notice), severity="error", timeout=15)
        workspaces = self.store.workspaces()
        self.view.workspace = workspaces[0] if workspaces else None
        self.watermark = self.store.max_id()
        self.show_view(self.view)
        self.message_list.focus()
        self.start_outbox()
        self._idle_gc.start()
        self.set_interval(1.0, self._idle_gc.tick)
        self._watch_terminal()
        if self.live:
            self.set_interval(POLL_SECONDS, self.poll)
            self.set_interval(CLOCK_REFRESH_SECONDS, self.refresh_clocks)
            self.set_interval(BUZZ_CHECK_SECONDS, self.check_buzz)
            self.call_after_refresh(self.check_buzz)
        if self.demo is not None:
            # After the first paint: the cached inbox shows at once, the day resumes behind it.
            self.call_after_refresh(self.feed_demo)
        elif self.sync and self.config.sources:
            # Likewise the networks: the cache paints first, fetching starts behind it.
            self.call_after_refresh(self.run_sync_engine)

    # -- views ----------------------------------------------------------------------------

    def show_view(self, view: View, keep_id: int | None = None) -> None:
        """Show a folder or search results: a first page now, the full list from a worker."""
        view.generation = self.view.generation + 1
        self.view = view
        self.watermark = self.store.max_id()
        message_list = self.message_list
        if view.workspace is None:
            message_list.load(array("q"), array("d"))
        elif view.expiring:
            ids, deadlines = self.store.expiring_ids(view.workspace.id, self.clock())
            message_list.load(ids, deadlines, keep_id=keep_id)
        else:
            ids, created, total = self._first_page(view)
            message_list.load(ids, created, total=total, keep_id=keep_id)
            if len(ids) < total:
                # Once this page is painted: the worker building the whole list (a million ids)
                # competes with the paint for the interpreter, and delayed the first screen.
                self.call_after_refresh(self.load_full_list, view, self.watermark)
        self.refresh_panels()

    def _first_page(self, view: View) -> tuple[array, array, int]:
        workspace_id = view.workspace.id
        if view.crisis is not None:  # a spike's items: a few hundred at most, loaded at once
            ids, created = self.store.crisis_ids(
                workspace_id, view.crisis.since, view.crisis.fired_at, list(view.crisis.terms), list(view.crisis.leading)
            )
            return ids, created, len(ids)
        if view.query is not None:
            ids, created = self.store.search_ids(workspace_id, view.query, limit=FIRST_PAGE)
            total = len(ids) + (1 if len(ids) == FIRST_PAGE else 0)
            return ids, created, total
        ids, created = self.store.folder_ids(workspace_id, view.folder, limit=FIRST_PAGE, upto_id=self.watermark)
        total = self.store.folder_counts(workspace_id)[view.folder] if len(ids) == FIRST_PAGE else len(ids)
        return ids, created, max(total, len(ids))

    @work(thread=True, exclusive=True, group="full-list", exit_on_error=False)
    def load_full_list(self, view: View, upto_id: int) -> None:
        reader = self.store.reader() if str(self.store.path) != ":memory:" else self.store
        try:
            if view.query is not None:
                ids, created = reader.search_ids(view.workspace.id, view.query)
            else:
                ids, created = reader.folder_ids(view.workspace.id, view.folder, upto_id=upto_id)
        finally:
            if reader is not self.store:
                reader.close()
        self.call_from_thread(self._full_list_loaded, view.generation, ids, created)

    def _full_list_loaded(self, generation: int, ids: array, created: array) -> None:
        if generation == self.view.generation:
            at_top = self.message_list.cursor == 0
            self.message_list.complete(ids, created)
            if at_top and self.message_list.cursor != 0:
                # A search's first page is in storage order, its full list by date: an untouched
                # cursor stays on the top row, now the newest hit, not on the row it was on.
                self.message_list.select_index(0)
            self.update_list_title()

    def refresh_panels(self) -> None:
        """Sidebar counts, source health, triage column and titles: cheap lookups, no scans."""
        workspace = self.view.workspace
        counts = self.store.folder_counts(workspace.id) if workspace else {}
        every_source = self.store.sources()
        self._announce_health(every_source)
        sources = self.store.sources(workspace.id) if workspace else every_source
        self._failing = [s for s in sources if s.state in health.FAILING]
        self.inbox.query_one(Sidebar).show(
            workspaces=self.store.workspaces(),
            workspace_id=workspace.id if workspace else None,
            counts=counts,
            folder="dms" if self.view.expiring else self.view.folder,  # E lists DMs, whatever folder it came from
            sources=sources,
            searching=self.view.query,
        )
        triage = self.inbox.query_one(TriageColumn)
        if workspace:
            rows = self.store.triage(workspace.id, TRIAGE_ROWS)
            triage.show(rows, counts.get("complaints", 0), workspace.target_minutes, self._hours(), more=len(rows) == TRIAGE_ROWS)
            self.terminal_bell.triage(rows, self.store.max_id())
        else:
            triage.show([], 0, 60)
        self.update_list_title(counts)

    def update_list_title(self, counts: dict[str, int] | None = None) -> None:
        message_list = self.message_list
        workspace = self.view.workspace
        if workspace is None:
            message_list.border_title = Content("Inbox · no workspace yet")  # the welcome below says how to start
            return
        if self.view.crisis is not None:
            words = ", ".join((self.view.crisis.shown or self.view.crisis.terms)[:3])
            where = f"crisis mode{' · ' + words if words else ''} · {len(message_list.ids)}"
        elif self.view.query is not None:
            where = f"search “{self.view.query}” · {len(message_list.ids)} found"
        elif self.view.expiring:
            where = f"DMs expiring soonest · {len(message_list.ids)}"
        else:
            folder = FOLDER_BY_KEY[self.view.folder]
            where = f"{folder.label} · {message_list.total}"
        # Failing sources are also said here: under 130 columns the sidebar, with their health,
        # is hidden, and a dead feed would go unnoticed all day ($ names them).
        failing = len(self._failing)
        alarm = f" · ✗ {failing} source{'s' if failing > 1 else ''} failing" if failing else ""
        message_list.border_title = Content(f"Inbox · {workspace.name} · {where}{alarm}")
        message_list.update_subtitle()

    def action_show_folder(self, folder: str) -> None:
        if folder in FOLDER_BY_KEY:
            self.close_search()
            self.show_view(View(self.view.workspace, folder=folder), keep_id=None)

    def action_switch_workspace(self, workspace_id: int) -> None:
        for workspace in self.store.workspaces():
            if workspace.id == workspace_id:
                self.close_search()
                self.show_view(View(workspace, folder=self.view.folder))
                self.notify(Content(f"Workspace: {workspace.name}"), timeout=2)

    def action_next_workspace(self) -> None:
        workspaces = self.store.workspaces()
        if len(workspaces) < 2 or self.view.workspace is None:
            said = "Only one workspace" if workspaces else "No workspace yet"
            self.notify(f"{said}: add brands in the config file (see README).", timeout=3)
            return
        ids = [w.id for w in workspaces]
        index = ids.index(self.view.workspace.id) if self.view.workspace.id in ids else -1
        self.action_switch_workspace(ids[(index + 1) % len(ids)])

    # -- detail pane ----------------------------------------------------------------------

    def on_message_list_highlighted(self, event: MessageList.Highlighted) -> None:
        has_message = event.message_id is not None
        if has_message != self._had_message:
            # The footer dims actions that need a message: recompute only when that flips,
            # since rebuilding the footer costs a full layout.
            self._had_message = has_message
            self.refresh_bindings()
        self.inbox.query_one(TriageColumn).mark_current(event.message_id)
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        self.load_detail(event.message_id)

    @work(exclusive=True, group="detail", exit_on_error=False)
    async def load_detail(self, message_id: int | None) -> None:
        import asyncio

        # Holding j fires many highlights: only the one the cursor rests on is loaded.
        await asyncio.sleep(DETAIL_DEBOUNCE)
        self._show_detail(message_id)
        if message_id is not None:
            self._read_timer = self.set_timer(MARK_READ_AFTER, lambda: self._mark_read(message_id))

    def _brand_terms(self) -> tuple[str, ...]:
        """The current workspace's keywords and hashtags; its name when the config gives none."""
        workspace = self.view.workspace
        if workspace is None:
            return ()
        configured = self.config.workspace(workspace.slug)
        return (configured.brand_terms if configured else ()) or (workspace.name,)

    def _show_detail(self, message_id: int | None, *, keep_place: bool = False) -> None:
        """The message in the detail pane; `keep_place` when it is the same one drawn again (its
        state changed): the reader's scroll stays."""
        detail = self.inbox.query_one(DetailPane)
        message = self.store.message(message_id) if message_id is not None else None
        self._detail_id = message_id if message else None
        welcome = self.view.workspace is None
        for pane in (detail, self.message_list):
            pane.set_class(welcome, "-welcome")
        if message is None:
            detail.show(None, self.clock(), empty=self._welcome() if welcome else self._nothing_found())
            return
        workspace = self.view.workspace
        data = DetailData(
            message,
            self.store.thread(message, limit=THREAD_ROWS),
            self.store.author_history(message),
            target_minutes=workspace.target_minutes if workspace else 60,
            hours=self._hours(),
            terms=self._brand_terms(),
            reply_by=self.store.reply_by([message.id]).get(message.id),
            replies=self.store.replies_to(message.id),
            draft=self.store.draft(message.id),
        )
        detail.show(data, self.clock(), keep_place=keep_place)

    def _nothing_found(self) -> Text | None:
        """What the empty detail pane says after a search that found nothing, or in crisis mode
        once the spike's list is empty (None: a folder)."""
        if self.view.query is None:
            if self.crisis is not None:
                key = self._banner_keys().crisis
                return Text(f"Nothing left in the crisis list: every message of the spike is done. {key} leaves crisis mode.",
                            style="dim")
            return None
        from .store.queries import fts_query

        if fts_query(self.view.query) is None:  # symbols only: the full-text index has no such word
            said = ("Nothing to search in “", self.view.query, "”: search finds words and numbers, not symbols such as € or %.\n")
        else:
            said = ("No message matches “", self.view.query, "” in this workspace, in any folder.\n")
        return Text.assemble(*said, ("/ changes the search · escape closes it", "dim"), style="dim")

    def _welcome(self) -> Text:
        from . import paths

        return Text.assemble(
            ("Welcome to cminbox:", "bold"),
            " no workspace and no messages yet.\n\n",
            # Few lines, each command above what it does, none over 60 characters: they read the
            # same in the pane at 100 columns (a wrapped line would go on under the command, not
            # under its own text), and all 14 fit the pane at 80x24.
            ("  cminbox --demo\n", "bold cyan"),
            "      opens the live demo, a brand's day with a bad buzz\n",
            ("  cminbox sources add TYPE --workspace NAME\n", "bold cyan"),
            "      adds a source, and its workspace the first time:\n",
            "      rss, hackernews, mastodon, bluesky, reddit,\n",
            "      facebook, instagram, youtube, x\n",
            ("  cminbox import FILE --workspace NAME\n", "bold cyan"),
            "      brings in past messages from a CSV or JSONL export\n",
            ("  config file", "bold cyan"),
            ": your brands and sources, to edit by hand\n",
            f"      {paths.config_file()}\n\n",
            ("? lists every key · q quits", "dim"),
        )

    def _mark_read(self, message_id: int) -> None:
        if not self.is_running or not self.screen_stack:
            return  # the timer fired while the app was closing
        if self.message_list.current_id == message_id:
            rows = self.store.list_rows([message_id])
            if message_id in rows and rows[message_id].unread:
                self._write(lambda: self.store.set_unread([message_id], False))
                self.message_list.invalidate([message_id])
                if self._detail_id == message_id:  # its state line said "unread"
                    self._show_detail(message_id, keep_place=True)

    def on_message_list_opened(self, event: MessageList.Opened) -> None:
        self._mark_read(event.message_id)
        self.inbox.query_one(DetailPane).focus()

    # -- acting on messages ---------------------------------------------------------------

    def _targets(self) -> list[int]:
        return self.message_list.targets()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Dim what cannot apply now, rather than failing when pressed; and pass on a key that
        is not ours to act on (see BINDINGS)."""
        key = self._key_in_flight
        if key is not None and action in self._KEYED_ACTIONS and not self._ours(key):
            return False
        if action in ("done", "unread", "snooze", "star", "select", "complaint", "sentiment", "copy", "open_link",
                      "hide", "reply", "pick_reply", "retry_reply", "discard_draft"):
            return True if self.message_list.current_id is not None else None
        if action == "select_all":
            return True if len(self.message_list.ids) else None
        return True  # (sync_now too: without sources, pressing it says why nothing syncs)

    def _write(self, change: Callable[[], object]) -> bool:
        """Run a store write; on failure the user is told why and nothing changes on screen."""
        try:
            change()
            return True
        except (sqlite3.Error, StoreError) as error:
            self.notify(Content(f"Not saved: {error}"), severity="error", timeout=8)
            return False

    def _change(self, ids: list[int], label: str, change: Callable[[], object]) -> bool:
        """A state change with an undo step, then the view brought up to date."""
        if not ids:
            return False
        snapshot = self.store.snapshot(ids)
        if not self._write(change):
            return False
        self.record_undo(label, snapshot)
        self._after_change(ids)
        return True

    def record_undo(self, label: str, snapshot: list[tuple]) -> None:
        """A step for `z`: `snapshot` (store.snapshot) is what it puts back."""
        self.undo_stack.append(UndoStep(label, snapshot))
        del self.undo_stack[:-UNDO_DEPTH]

    def _after_change(self, ids: list[int]) -> None:
        """Rows that no longer belong to the current folder leave the list; the rest repaint."""
        message_list = self.message_list
        if self.view.query is None and self.view.workspace is not None:
            still = self.store.in_folder(ids, "dms" if self.view.expiring else self.view.folder)
            message_list.remove_ids([i for i in ids if i not in still])
        message_list.invalidate(ids)
        self.refresh_panels()
        if self._detail_id in ids:
            self._show_detail(self._detail_id)

    def action_done(self) -> None:
        ids = self._targets()
        rows = self.store.list_rows(ids)
        reopen = bool(rows) and all(r.status == STATUS_DONE for r in rows.values())
        status = STATUS_OPEN if reopen else STATUS_DONE
        if self._change(ids, "reopen" if reopen else "done", lambda: self.store.set_status(ids, status, now=self.clock())):
            verb = "Reopened" if reopen else "Done"
            self._say(f"{verb}: {self._whose(ids)} · z to undo")
            self.message_list.clear_selection()

    def action_unread(self) -> None:
        ids = self._targets()
        rows = self.store.list_rows(ids)
        unread = not all(r.unread for r in rows.values())
        if self._read_timer is not None:
            self._read_timer.stop()
        if self._change(ids, "unread", lambda: self.store.set_unread(ids, unread)):
            self._say(f"{'Unread' if unread else 'Read'}: {self._count(ids)}")

    def action_star(self) -> None:
        ids = self._targets()
        rows = self.store.list_rows(ids)
        starred = not all(r.starred for r in rows.values())
        if self._change(ids, "star", lambda: self.store.set_starred(ids, starred)):
            self._say(f"{'Starred' if starred else 'Unstarred'}: {self._count(ids)}")

    def action_complaint(self) -> None:
        """The user's verdict wins over the score: flip what the row currently says."""
        ids = self._targets()
        rows = self.store.list_rows(ids)
        verdict = not all(r.complaint for r in rows.values())
        if self._change(ids, "complaint", lambda: self.store.set_complaint_override(ids, verdict)):
            self._say(f"{'Complaint' if verdict else 'Not a complaint'}: {self._count(ids)} (your call, kept; the scorer learns from it)")
            self.rescore_after(ids)

    def action_clear_verdict(self) -> None:
        ids = self._targets()
        if self._change(ids, "verdict", lambda: self.store.set_complaint_override(ids, None)):
            self._say(f"Scorer decides again: {self._count(ids)}")
            self.rescore_after(ids)

    def action_sentiment(self) -> None:
        """Set the sentiment by hand (a small menu: 1 negative, 2 neutral, 3 positive, 0 scorer)."""
        ids = self._targets()
        if not ids:
            return
        message = self.store.message(ids[0]) if len(ids) == 1 else None
        current = None
        if message is not None and message.sentiment_override is not None:
            current = {-1.0: "negative", 0.0: "neutral", 1.0: "positive"}.get(message.sentiment_override)
        self.push_screen(SentimentScreen(len(ids), current), lambda value: self.set_sentiment(ids, value))

    def set_sentiment(self, ids: list[int], value: str | None) -> None:
        """Apply a sentiment verdict (None: cancelled; CLEAR: give it back to the scorer)."""
        if value is None or not ids:
            return
        verdict = None if value == CLEAR else value
        if self._change(ids, "sentiment", lambda: self.store.set_sentiment_override(ids, verdict)):
            said = f"Sentiment {verdict}" if verdict else "Scorer decides the sentiment again"
            self._say(f"{said}: {self._count(ids)}")
            self.rescore_after(ids)

    @work(thread=True, exclusive=True, group="rescore", exit_on_error=False)
    def rescore_after(self, ids: list[int]) -> None:
        """After a verdict: similar open messages (and the same author's) are scored again."""
        changed = self.store.rescore_similar(ids, now=self.clock())
        if changed:
            self.post_message(Rescored(changed, ids))

    def on_rescored(self, event: Rescored) -> None:
        self.message_list.invalidate(event.ids)
        if self.view.folder == "complaints" and self.view.query is None and self.view.crisis is None:
            self.show_view(self.view, keep_id=self.message_list.current_id)
        else:
            self.refresh_panels()
        if self._detail_id in event.ids:
            self._show_detail(self._detail_id)
        if event.similar:  # (the corrected message itself is no news: its toast said it)
            self._say(f"{self._count(event.similar)} similar scored again from your correction")

    def _hours(self):
        from .hours import BusinessHours, HoursError

        workspace = self.view.workspace
        try:
            return BusinessHours.parse(workspace.business_hours if workspace else None, (workspace.timezone or None) if workspace else None)
        except HoursError:
            return BusinessHours.parse(None)

    def action_snooze(self) -> None:
        ids = self._targets()
        if not ids:
            return

        from .screens.snooze import SnoozeScreen  # screens load when first opened: a faster start
        from .snooze import WAKE_NOW

        snoozed = sorted(self.store.in_folder(ids, "snoozed"))

        def snooze(until: float | None) -> None:
            if until is None:
                return
            if until == WAKE_NOW:  # only the snoozed ones: a done message chosen with them stays done
                if self._change(snoozed, "wake", lambda: self.store.set_status(snoozed, STATUS_OPEN, now=self.clock())):
                    self._say(f"Back in the inbox: {self._whose(snoozed)} · z to undo")
                    self.message_list.clear_selection()
                return
            if self._change(ids, "snooze", lambda: self.store.set_status(ids, STATUS_SNOOZED, snooze_until=until, now=self.clock())):
                self._say(f"Snoozed until {clock_time(until, self.clock())}: {self._whose(ids)} · z to undo")
                self.message_list.clear_selection()

        self.push_screen(SnoozeScreen(datetime.fromtimestamp(self.clock()), len(ids), snoozed=bool(snoozed)), snooze)

    def action_select(self) -> None:
        message_list = self.message_list
        message_list.toggle_selected()
        message_list.action_cursor_down()
        self.update_list_title()

    def action_undo(self) -> None:
        if not self.undo_stack:
            self._say("Nothing to undo")
            return
        step = self.undo_stack.pop()
        if step.network_undo is not None:
            step.network_undo()
            self._say(f"Undoing: {step.label}…")
            return
        if self._write(lambda: self.store.restore(step.snapshot, unread=step.label == "unread")):
            ids = [row[0] for row in step.snapshot]
            self.show_view(self.view, keep_id=ids[0] if ids else None)
            self._say(f"Undone: {step.label} ({self._whose(ids)})")
            if step.label in ("complaint", "verdict", "sentiment"):
                self.rescore_after(ids)  # what the verdict taught is forgotten too

    def push_network_undo(self, label: str, undo: Callable[[], object]) -> None:
        self.undo_stack.append(UndoStep(label, network_undo=undo))
        del self.undo_stack[:-UNDO_DEPTH]

    def action_back(self) -> None:
        if self.view.query is not None and self.inbox.query_one("#search", Input).has_focus:
            self.close_search(reload=True)
        elif self.message_list.selected:
            self.message_list.clear_selection()
            self.update_list_title()
        elif not self.message_list.has_focus:
            self.message_list.focus()
        elif self.view.query is not None:
            self.close_search(reload=True)
        elif self.view.crisis is not None:
            self.leave_crisis()

    def _current_url(self) -> str | None:
        message_id = self.message_list.current_id
        if message_id is None:
            return None
        message = self.store.message(message_id)
        return safe_url(message.url) if message else None

    def action_open_link(self) -> None:
        url = self._current_url()
        if url is None:
            self._say("No web page for this message")
            return
        self.open_in_browser(url)

    @work(thread=True, exit_on_error=False, group="browser")
    def open_in_browser(self, url: str) -> None:
        if open_url(url):
            self.call_from_thread(self._say, f"Opened {url}")
        else:
            self.call_from_thread(self._copy_instead_of_opening, url)

    def _copy_instead_of_opening(self, url: str) -> None:
        try:
            where = copy_text(url, self.copy_to_clipboard)
        except RuntimeError:
            self.notify(Content(f"No browser here: open {url} yourself"), timeout=10)
            return
        self.notify(Content(f"No browser here (SSH?). {copied(where, 'the link')}. Paste it in your browser."), timeout=8)

    def action_copy(self) -> None:
        message_id = self.message_list.current_id
        message = self.store.message(message_id) if message_id is not None else None
        if message is None:
            return
        try:
            where = copy_text(message.text, self.copy_to_clipboard)
        except RuntimeError as error:
            self.notify(Content(f"Could not copy: {error}"), severity="error")
            return
        self._say(copied(where, "the text"))

    # -- urgent items ---------------------------------------------------------------------

    def action_next_urgent(self) -> None:
        workspace = self.view.workspace
        if workspace is None:
            return
        rows = self.store.triage(workspace.id, TRIAGE_ROWS)
        if not rows:
            self._say("No complaint waiting for an answer: nothing urgent")
            return
        ids = [r.id for r in rows]
        current = self.message_list.current_id
        following = ids[(ids.index(current) + 1) % len(ids)] if current in ids else ids[0]
        self.action_jump_to(following)

    def action_jump_to(self, message_id: int) -> None:
        """Put the cursor on a message, switching to Complaints if this view does not hold it."""
        message_list = self.message_list
        index = message_list.index_of(message_id)
        if index is None:
            self.close_search()
            self.show_view(View(self.view.workspace, folder="complaints"), keep_id=message_id)
            index = self.message_list.index_of(message_id)
        if index is not None:
            self.message_list.select_index(index)
            self.message_list.focus()

    # -- search ---------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.inbox.query_one("#search", Input)
        search.add_class("open")
        # The focus moves now rather than at the next idle moment (`Widget.focus` waits): keys that
        # came in the same burst as "/" (typed fast, pasted, or in one SSH packet) are then handed
        # to the search box, and "/done" searches for "done" instead of marking a message done.
        self.screen.set_focus(search)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        if self._search_timer is not None:
            self._search_timer.stop()
        value = event.value
        self._search_timer = self.set_timer(0.15, lambda: self._run_search(value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self._run_search(event.value)
            self.message_list.focus()

    def _run_search(self, value: str) -> None:
        if self.view.workspace is None:
            return
        if not value.strip():
            if self.view.query is not None:
                self.show_view(View(self.view.workspace, folder=self.view.folder))
            return
        self.show_view(View(self.view.workspace, folder=self.view.folder, query=value))

    def close_search(self, reload: bool = False) -> None:
        search = self.inbox.query_one("#search", Input)
        was_searching = self.view.query is not None
        search.remove_class("open")
        search.value = ""
        if self._search_timer is not None:
            self._search_timer.stop()
        if was_searching and reload:
            keep = self.message_list.current_id
            self.show_view(View(self.view.workspace, folder=self.view.folder), keep_id=keep)
        if reload or not was_searching:
            self.message_list.focus()

    # -- live updates ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False)
    def feed_demo(self) -> None:
        """Advance the demo day (scoring and storing happen here, off the UI thread)."""
        demo = self.demo
        if demo is None:
            return
        if demo.next_index == 0 and not demo.anchor:
            arrived = demo.start()
            self.call_from_thread(self._after_demo_start)
        else:
            arrived = demo.tick()
        if arrived:
            self.post_message(StoreChanged(arrived))

    def _after_demo_start(self) -> None:
        if self.view.workspace is None:
            workspaces = self.store.workspaces()
            if workspaces:
                self.view.workspace = workspaces[0]
                self.show_view(self.view)

    @work(exclusive=True, group="sync", exit_on_error=False)
    async def run_sync_engine(self) -> None:
        """Every configured source, polled (and streamed) until the app quits.

        The engine writes through its own connection, so the screen's reads never wait for a
        batch being scored; new rows reach the list through `check_for_changes`.
        """
        from .sync import Engine

        store = self.store if str(self.store.path) == ":memory:" else Store(self.store.path)
        try:
            async with Engine(store, self.config, clock=self.clock, on_change=self._sync_changed) as engine:
                self.engine = engine
                self.refresh_bindings()
                await engine.run()
        finally:
            self.engine = None
            if store is not self.store:
                store.close()

    def _sync_changed(self, new_messages: int) -> None:
        self.post_message(StoreChanged(new_messages))

    def action_sync_now(self) -> None:
        if self.engine is None:
            if self.demo is not None:
                self._say("The demo has no network to sync: its day arrives by itself. Your own inbox syncs its [[sources]] (see README)")
            else:
                self._say("No sources to sync: add [[sources]] to the config file, or run cminbox sources add (see README)")
            return
        self.engine.sync_now()
        failing = "; ".join(f"{s.label}: {health.phrase(s, self.clock())} ({one_line(health.error_detail(s) or 'no detail', 120)})"
                            for s in self._failing)
        # Long enough to read each failing source's error.
        self._say("Syncing every source now" + (f". Failing: {failing}" if failing else ""), timeout=12 if failing else 3)

    def _announce_health(self, sources) -> None:
        """Say it loudly when a source starts needing re-authentication or fails for good."""
        for source in sources:
            before = self._source_states.get(source.key)
            self._source_states[source.key] = source.state
            if before is None or before == source.state:
                continue
            if source.state == "reauth":
                self.notify(Content(f"{source.label} needs re-authentication: {source.last_error or ''}"),
                            title="Source needs re-auth", severity="error", timeout=30)
            elif source.state == "error":
                self.notify(Content(f"{source.label}: {source.last_error or 'error'}"), severity="warning", timeout=10)

    def poll(self) -> None:
        if self.demo is not None and self.demo.anchor:
            self.feed_demo()
        self.check_for_changes()

    def on_store_changed(self, event: StoreChanged) -> None:
        self.check_for_changes()
        if self.live and event.new_messages and self.clock() - self._buzz_checked >= BUZZ_CHECK_SECONDS / 3:
            self._buzz_checked = self.clock()
            self.check_buzz()

    def on_message_list_show_held(self, event: MessageList.ShowHeld) -> None:
        """`g` in crisis mode: the held arrivals join the list."""
        self.show_view(self.view)

    def check_for_changes(self) -> None:
        """Bring the view up to date with rows written since the last look (by us or by a sync).
        Runs every second: a database that fails (locked by another program for longer than the
        busy timeout, gone, damaged) is said once, and tried again at the next look."""
        try:
            self._bring_up_to_date()
        except (sqlite3.Error, StoreError) as error:
            self._database_problem(error)
        else:  # it works again: the next failure is news
            self._problems_said = {text: at for text, at in self._problems_said.items() if not text.startswith(_DATABASE_PROBLEM)}

    def _database_problem(self, error: Exception) -> None:
        self._say_problem(f"{_DATABASE_PROBLEM}{error}")

    def _say_problem(self, text: str) -> None:
        """An error that the next try, a second later, would repeat (the look, the demo's feed, a
        full disk): said once per minute rather than as a toast a second."""
        now = time.monotonic()
        if now - self._problems_said.get(text, -PROBLEM_REPEAT_SECONDS) < PROBLEM_REPEAT_SECONDS:
            return
        self._problems_said[text] = now
        self.notify(Content(text), severity="error", timeout=10)

    def _bring_up_to_date(self) -> None:
        version = self.store.data_version()
        newest = self.store.max_id()
        changed = version != self._data_version
        self._data_version = version
        if newest > self.watermark and self.view.workspace is not None:
            if self.view.expiring:
                self.show_view(self.view, keep_id=self.message_list.current_id)
            elif self.view.crisis is not None:
                # Crisis mode holds new items in a marker: the list the CM works through stays put.
                crisis = self.view.crisis
                ids, _ = self.store.crisis_ids(self.view.workspace.id, crisis.since, crisis.fired_at, list(crisis.terms), list(crisis.leading))
                arrived = sum(1 for i in ids if self.watermark < i <= newest)
                if arrived:
                    self.message_list.hold(self.message_list.held + arrived)
            elif self.view.query is None:
                ids, created = self.store.folder_ids(
                    self.view.workspace.id, self.view.folder, after_id=self.watermark, upto_id=newest
                )
                if len(ids):
                    self.message_list.add_arrivals(ids, created)
            self.watermark = newest
            changed = True
        woke = self.store.wake_snoozed(self.clock())
        if woke:
            self.notify(f"{len(woke)} snoozed message{'s' if len(woke) > 1 else ''} came back", timeout=4)
            self.show_view(self.view, keep_id=self.message_list.current_id)
        elif changed:
            self.refresh_panels()

    def refresh_clocks(self) -> None:
        """Ages and countdowns move on their own: repaint them (a closed DM window leaves E)."""
        try:
            if self.view.expiring:
                self.show_view(self.view, keep_id=self.message_list.current_id)
            self.message_list.refresh()
            self.refresh_panels()
            if self._detail_id is not None:  # its "3 min ago" and "answer due in …" too
                self._show_detail(self._detail_id, keep_place=True)
        except (sqlite3.Error, StoreError) as error:
            self._database_problem(error)

    # -- help, palette, errors ------------------------------------------------------------

    def live_bindings(self) -> list[Binding]:
        bindings: list[Binding] = []
        for node in (self.message_list, self.inbox.query_one(DetailPane), self.inbox, self):
            for _key, node_bindings in node._bindings.key_to_bindings.items():
                bindings.extend(node_bindings)
        return bindings

    def key_shown(self, binding_id: str) -> str:
        """The first key of one of the app's own bindings, as the footer and the help show it
        ("n", or "^n" once `[keys]` gives it ctrl+n)."""
        from .screens.help import shown_keys

        bindings = [binding for bindings in self._bindings.key_to_bindings.values() for binding in bindings]
        keys = shown_keys(bindings, self.config.keymap, self.get_key_display).get(binding_id)
        return keys[0] if keys else "?"

    def action_help(self) -> None:
        from .screens.composer import ComposerScreen
        from .screens.help import HelpScreen, help_rows
        from .screens.picker import PickerScreen
        from .screens.snooze import SnoozeScreen

        keymap = {k: v for k, v in self.config.keymap.items()}
        # The dialogs' keys too, though their screens are not open.
        bindings = [*self.live_bindings(), *ComposerScreen.BINDINGS, *PickerScreen.BINDINGS, *SnoozeScreen.BINDINGS]
        self.push_screen(HelpScreen(help_rows(bindings, keymap, self.get_key_display)))

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """The palette's commands where the user is: the keys of the focused widget (the list's
        moves, or the detail pane's scrolling), the screen's and the app's, each run where its
        key would run it; keys shown as the footer and the help show them ("j, ↓")."""
        from .screens.help import shown_keys

        commands: list[tuple[str, str, Callable[[], object]]] = []
        focused = self.inbox.focused
        nodes = focused.ancestors_with_self if focused is not None else [self.inbox, self]
        live = [(node, binding) for node in nodes for bindings in node._bindings.key_to_bindings.values() for binding in bindings]
        keys = {binding_id: ", ".join(shown) for binding_id, shown in
                shown_keys((binding for _node, binding in live), self.config.keymap, self.get_key_display).items()}
        for node, binding in live:
            if not binding.id or not binding.description or binding.id.startswith("folder."):
                continue
            commands.append((binding.description, f"key: {keys[binding.id]}", self._action_runner(binding.action, node)))
        counts = self.store.folder_counts(self.view.workspace.id) if self.view.workspace else {}
        for folder in FOLDERS:
            commands.append(
                (f"Go to {folder.label} ({counts.get(folder.key, 0)})", f"key: {keys[f'folder.{folder.key}']}",
                 self._action_runner(f"show_folder('{folder.key}')"))
            )
        for workspace in self.store.workspaces():
            commands.append((f"Switch to workspace {workspace.name}", "key: w cycles", self._action_runner(f"switch_workspace({workspace.id})")))
        # Commands about messages only where they can act: on the selection, or the message under
        # the cursor when it has what they undo.
        current = self.store.message(self.message_list.current_id) if self.message_list.current_id is not None else None
        selection = bool(self.message_list.selected)
        if selection or (current is not None and current.complaint_override is not None):
            commands.append(("Let the scorer decide (forget my complaint verdict)", "", self.action_clear_verdict))
        if current is not None and self.store.draft(current.id) is not None:
            commands.append(("Discard this message's draft reply", "", self.action_discard_draft))
        commands.append((f"Copy the starter replies into my library ({self.replies_dir})", "never overwrites", self.action_install_starter))
        commands.append((f"Crisis replies first in the picker: turn {'off' if self.pin_crisis_replies else 'on'}",
                         "without crisis mode (b)", self.action_toggle_crisis))
        if selection or current is not None:
            sentiment_keys = f"key: {keys['inbox.sentiment']} then 1 2 3 0"
            for value in ("negative", "neutral", "positive"):
                commands.append((f"Set sentiment: {value}", sentiment_keys, lambda v=value: self.set_sentiment(self._targets(), v)))
            if selection or (current is not None and current.sentiment_override is not None):
                commands.append(("Let the scorer decide the sentiment (forget my verdict)", sentiment_keys,
                                 lambda: self.set_sentiment(self._targets(), CLEAR)))
        seen: set[str] = set()
        unique = []
        for command in commands:
            if command[0] not in seen:
                seen.add(command[0])
                unique.append(command)
        return unique

    def _watch_terminal(self) -> None:
        """Quit when the terminal hangs up (see `terminal_watch`)."""
        if not self.terminal.watching:
            return
        self.set_interval(CHECK_SECONDS, lambda: self.terminal.gone() and self.terminal.leave(self.exit))
        if HANGUP is not None:  # (Windows has none)
            try:
                asyncio.get_running_loop().add_signal_handler(HANGUP, self.terminal.leave, self.exit)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
                pass

    def _action_runner(self, action: str, namespace=None) -> Callable[[], object]:
        async def run() -> None:
            await self.run_action(action, namespace)

        return run

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self._say_problem(f"Background task failed: {error}")

    async def on_unmount(self) -> None:
        self._idle_gc.stop()
        if self.terminal.watching and HANGUP is not None:
            asyncio.get_running_loop().remove_signal_handler(HANGUP)
        await self.close_sources()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._idle_gc.input_seen()  # the older generations wait for a pause in the input
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        self._key_in_flight = event  # what `check_action` weighs while the bindings are tried
        try:
            await super().on_event(event)
        finally:
            self._key_in_flight = None

    def _ours(self, key: events.Key) -> bool:
        """Whether the inbox acts on this key: not while a dialog is up (a chord such as ctrl+q
        still is), nor when the focused widget takes it (a letter in the search box)."""
        if len(self.screen_stack) > 1 and "+" not in key.key:
            return False
        focused = self.focused
        return focused is None or not focused.check_consume_key(key.key, key.character)

    def _say(self, text: str, *, timeout: float = 3) -> None:
        self.notify(Content(text), timeout=timeout)

    @staticmethod
    def _count(ids: list[int]) -> str:
        return f"{len(ids)} message{'s' if len(ids) != 1 else ''}"

    def _whose(self, ids: list[int]) -> str:
        """"the message from Julie Martin" for one message (an undo may act off screen), else the count;
        and the brand, when the message is not in the one on screen (an undo after `w`)."""
        message = self.store.message(ids[0]) if ids else None
        who = (message.author_name or message.author_handle) if message and len(ids) == 1 else ""
        said = f"the message from {one_line(who, 40)}" if who else self._count(ids)
        here = self.view.workspace
        if message is not None and here is not None and message.workspace_id != here.id:
            brand = next((w.name for w in self.store.workspaces() if w.id == message.workspace_id), "")
            said += f", in {one_line(brand, 40)}" if brand else ""
        return said


gc.freeze()
if _COLLECTING:
    gc.enable()
