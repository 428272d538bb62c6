"""The app's side of the platform rules: hiding comments (undoably) and the DMs that expire soonest.

A mixin of `InboxApp` (like a screen's actions, kept out of app.py so each file has one job).
Network calls run in workers; a failure is said in a notification and changes nothing on
screen. Hiding is undone by unhiding on the network, through the app's undo stack (`z`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content

from .network_actions import set_hidden
from .sources.base import Source, SourceError

if TYPE_CHECKING:
    import httpx

    from .config import Config
    from .store import Store


class Moderating:
    """Actions: `hide` (H), `show_expiring` (E). Needs `store`, `config`, `clock`, `message_list`."""

    store: Store
    config: Config
    clock: Callable[[], float]
    sources: dict[str, Source]
    _http_client: httpx.AsyncClient | None = None

    def init_sources(self, sources: Mapping[str, Source] | None) -> None:
        self.sources = dict(sources or {})

    def source_for(self, source_key: str) -> Source | None:
        """The source that acts for this key: given to the app, else the sync engine's (which
        shares its rate-limit budgets), else built from the config."""
        if source_key in self.sources:
            return self.sources[source_key]
        senders = getattr(self, "senders", None)
        registered = senders.registered(source_key) if senders is not None else None
        if registered is not None:  # the demo's
            return registered
        engine = getattr(self, "engine", None)
        runtime = engine.runtimes.get(source_key) if engine is not None else None
        if runtime is not None and runtime.source is not None:
            return runtime.source
        entry = self.config.source(source_key)
        if entry is None:
            return None
        from . import credentials
        from .sources.http import Http, new_client
        from .sources.registry import UnavailableType, build

        if self._http_client is None:
            self._http_client = new_client()
        try:
            # A credential the entry lacks resolves to a CredentialError (an AuthError) saying so.
            source = build(entry, Http(self._http_client), lambda name: credentials.resolve(entry.credentials.get(name, "")))
        except (ValueError, UnavailableType):
            return None
        self.sources[source_key] = source
        return source

    async def close_sources(self) -> None:
        if self._http_client is not None:
            await self._http_client.aclose()
            self._http_client = None

    # -- hide / unhide ------------------------------------------------------------------------

    def action_hide(self) -> None:
        message_id = self.message_list.current_id  # type: ignore[attr-defined]
        message = self.store.message(message_id) if message_id is not None else None
        if message is None:
            return
        found = self.store.reply_target(message_id)
        source = self.source_for(found[0]) if found else None
        why = None
        if message.kind not in ("comment", "mention"):
            why = f"only comments and mentions can be hidden, and this is a {message.kind}"
        elif source is None and found is not None and found[0].startswith("import-"):
            why = "it was imported from a file, and cminbox has no access to its network"
        elif source is None:
            why = "its source is not in the config any more (or cannot be built here: see cminbox doctor)"
        elif not getattr(source, "can_hide", False):
            why = f"{message.network} has no way to hide someone's post through its API (Facebook, Instagram and replies on X do)"
        if why:
            self._say(f"Cannot hide it: {why}")  # type: ignore[attr-defined]
            return
        self.change_hidden(message_id, not bool(message.hidden), undoable=True)

    @work(group="moderation", exit_on_error=False)
    async def change_hidden(self, message_id: int, hidden: bool, undoable: bool = False) -> None:
        found = self.store.reply_target(message_id)
        source = self.source_for(found[0]) if found else None
        if source is None:
            return
        verb = "Hidden" if hidden else "Visible again"
        try:
            await set_hidden(self.store, source, message_id, hidden)
        except SourceError as error:
            self.notify(Content(f"Not {'hidden' if hidden else 'unhidden'}: {error}"), severity="error", timeout=8)  # type: ignore[attr-defined]
            return
        if not self.is_running:  # type: ignore[attr-defined]
            return  # the app closed meanwhile: the store has it, nothing to redraw
        if undoable:
            self.push_network_undo(f"{'hide' if hidden else 'unhide'}",  # type: ignore[attr-defined]
                                   lambda: self.change_hidden(message_id, not hidden))
        self._after_change([message_id])  # type: ignore[attr-defined]
        self._say(f"{verb} on {found[1].network}" + (" · z to undo" if undoable else ""))  # type: ignore[attr-defined]

    # -- DMs expiring soonest -----------------------------------------------------------------

    def action_show_expiring(self) -> None:
        from .app import View  # the view type lives with the app

        self.close_search()  # type: ignore[attr-defined]
        self.show_view(View(self.view.workspace, folder=self.view.folder, expiring=True))  # type: ignore[attr-defined]
