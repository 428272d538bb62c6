"""Answering, the app's side: `r` composer, `R` saved replies (one message or a selection), the outbox.

A mixin of `InboxApp`: it turns the answering keys into screens (picker, composer, forms, bulk)
and outbox calls, and sends in the background. The rules themselves live in the core
(`replies/`, `outbox.py`); here is only the flow between screens.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content

from .clipboard import copy_text
from .config import WorkspaceConfig
from .outbox import Outbox, Senders
from . import replies  # the library and the placeholders load on first use (replies/__init__.py)
from .network_actions import refusal_for
from .replies.limits import LIMITED_NETWORKS, Limit, count, limit_for, strictest
from .replies.suggest import suggested_tags
from .reply_rules import PRIVATE, reply_kinds, window
from .store import Message, OutboxItem, QueuedReply, StoreError
from .store.outbox import FAILED, SENT, UNKNOWN
from .textsafe import one_line, safe_url, shortened
from .timefmt import long_in

if TYPE_CHECKING:
    from .replies import Library, SavedReply
    from .replies.bulk import BulkPlan
    from .screens.composer import ComposerResult
    from .screens.forms import NewReply
    from .screens.picker import PickerRequest

# Placeholders whose value comes from each message (in bulk, a message without one is skipped);
# the others (brand, agent, [ask] fields) are asked once for the whole selection.
PER_MESSAGE = ("author", "first_name", "handle", "network", "order_id", "prenom", "nom", "pseudo", "reseau", "commande")

QUESTIONS = {
    "order_id": "Order number (none found in the message)",
    "agent": "Your signature or initials (asked once a session; agent = \"…\" in the config skips it)",
    "first_name": "First name",
    "author": "Name",
    "handle": "Handle",
    "brand": "Brand name",
    "network": "Network",
}
# Refresh the list every this many bulk sends (not after each one: 200 repaints for nothing).
_BULK_REFRESH = 25


class Answering:
    """Mixed into `InboxApp`, which provides store, config, clock, view, message_list and notify."""

    senders: Senders
    outbox: Outbox
    replies_dir: Path
    crisis: object  # the crisis mode's Crisis, or None (CrisisMode)
    pin_crisis_replies: bool
    session_agent: str = ""  # the signature typed when asked, for this session (no `agent` in the config)

    # -- what a reply needs to know ---------------------------------------------------------------

    def _library(self) -> Library:
        return replies.load_library(self.replies_dir)

    def _workspace_config(self) -> WorkspaceConfig | None:
        workspace = self.view.workspace
        return self.config.workspace(workspace.slug) if workspace else None

    def _values_for(self, message: Message) -> dict[str, str]:
        workspace = self.view.workspace
        settings = self._workspace_config()
        return replies.message_values(
            author_name=message.author_name,
            author_handle=message.author_handle,
            network=message.network,
            text=message.text,
            brand=workspace.name if workspace else "",
            agent=self.config.agent or self.session_agent,
            extra=settings.placeholders if settings else None,
        )

    def _source_key(self, message: Message) -> str | None:
        found = self.store.reply_target(message.id)
        return found[0] if found else None

    def _limit_for(self, message: Message, reply_kind: str | None = None) -> Limit | None:
        """The length limit for a reply to `message` (of `reply_kind`: None is the natural one)."""
        return limit_for(message.network, reply_kind or message.kind, self.senders.max_chars(self._source_key(message)))

    def _reply_kinds(self, message: Message, source_key: str | None) -> tuple[str, ...]:
        """What the composer offers: a private reply only where the source can send one."""
        kinds = reply_kinds(message)
        if PRIVATE in kinds and not self.senders.can_reply_privately(source_key):
            kinds = tuple(kind for kind in kinds if kind != PRIVATE)
        return kinds

    def _rule_refusal(self, message: Message, text: str) -> str | None:
        """Why the network would refuse this reply (in its natural kind) now, or None."""
        refusal = refusal_for(self.store, message.id, reply_kinds(message)[0], text, self.clock(),
                              max_chars=self.senders.max_chars(self._source_key(message)))
        return refusal.reason if refusal is not None else None

    def _window_left(self, message: Message) -> str:
        """The DM's messaging window, while it counts down."""
        history = self.store.reply_history(message.id)
        open_until = window(message, history)
        if open_until is None:
            return ""
        left = open_until.left(self.clock())
        if left <= 0:
            return "messaging window closed"
        return f"messaging window closes {long_in(left)}"

    def _picker_request(self, message: Message, heading: str, *, bulk_lang: str | None = None) -> PickerRequest:
        """For one message; with `bulk_lang`, for a selection (its main language, every network)."""
        from .screens.picker import PickerRequest

        library = self._library()
        settings = self._workspace_config()
        notes = []
        if library.starter:
            notes.append(
                f"The starter set (read-only): ctrl+p “Copy the starter replies” makes it yours, in {library.folder}."
            )
        if library.problems:
            notes.append(f"{len(library.problems)} file(s) could not be read: `cminbox replies check` says why.")
        bulk = bulk_lang is not None
        workspace = self.view.workspace
        return PickerRequest(
            replies=[r for r in library.replies if r.for_workspace(workspace.slug if workspace else None)],
            heading=heading,
            values=self._values_for(message),
            lang=bulk_lang if bulk else message.lang,
            network=None if bulk else message.network,
            network_name="" if bulk else replies.NETWORK_NAMES.get(message.network, message.network),
            tone=settings.tone if settings else None,
            limit=None if bulk else self._limit_for(message),
            crisis=self.crisis is not None or self.pin_crisis_replies,
            usage=self.store.reply_usage(),
            note=" ".join(notes),
            suggested=() if bulk else suggested_tags(complaint=message.complaint, praise=message.praise,
                                                     question=message.question, spam=message.spam, cues=message.cues,
                                                     text=message.text),
        )

    def _current_message(self) -> Message | None:
        message_id = self.message_list.current_id
        return self.store.message(message_id) if message_id is not None else None

    @staticmethod
    def _who(message: Message) -> str:
        return one_line(message.author_name or message.author_handle, 40) or "?"

    # -- picking and filling a saved reply ----------------------------------------------------------

    def _choose_reply(self, message: Message, done: Callable[[str, str | None], None]) -> None:
        """Picker, then the values cminbox cannot find, then `done(filled text, reply key)`."""
        from .screens.picker import PickerScreen

        lang = message.lang if message.lang in ("fr", "en") else "language unknown"
        heading = f"for {self._who(message)} · {lang} · {replies.NETWORK_NAMES.get(message.network, message.network)}"

        def picked(reply: SavedReply | None) -> None:
            if reply is not None:
                self._fill_reply(reply, self._values_for(message), lambda text: done(text, reply.key))

        self.push_screen(PickerScreen(self._picker_request(message, heading)), picked)

    def _fill_reply(self, reply: SavedReply, values: dict[str, str], done: Callable[[str], None]) -> None:
        """Fill a reply, asking for the values cminbox cannot find; cancelled, nothing happens."""
        missing = list(replies.fill(reply.body, values).missing)
        self._ask(reply, missing, lambda asked: done(replies.fill(reply.body, {**values, **asked}).text), blank_stays=True)

    def _ask(self, reply: SavedReply, names: list[str], done: Callable[[dict[str, str]], None], *,
             blank_stays: bool = False) -> None:
        """`blank_stays`: the text goes to the composer, where a value left blank is written."""
        from .screens.forms import AskScreen

        if not names:
            done({})
            return
        questions = [(name, reply.ask.get(name) or QUESTIONS.get(name) or f"Value for {{{name}}}") for name in names]

        def answered(asked: dict[str, str] | None) -> None:
            if asked is not None:
                if asked.get("agent"):  # the signature, asked once a session when the config has none
                    self.session_agent = asked["agent"]
                done(asked)

        self.push_screen(AskScreen(questions, f"Values for “{shortened(reply.title, 50)}”", blank_stays=blank_stays), answered)

    # -- r: the composer ------------------------------------------------------------------------------

    def action_reply(self) -> None:
        message = self._current_message()
        if message is None:
            return
        notice = ""
        draft = self.store.draft(message.id)
        unsent = [item for item in self.store.replies_to(message.id) if item.state in (FAILED, UNKNOWN)]
        if draft is None and unsent and unsent[-1].state == FAILED:
            # A failed reply never went out: it comes back to be edited.
            self.store.reopen_as_draft(unsent[-1].id, self.clock())
            draft = self.store.draft(message.id)
            notice = f"This reply was not sent ({unsent[-1].error}). Edit it and send again."
        elif unsent:
            notice = "A reply to this message may already have been posted (outcome unknown): check the page (ctrl+o) before sending another."
        elif any(item.state == SENT for item in self.store.replies_to(message.id)):
            notice = "You already answered this message: this would be another reply."
        self._open_composer(message, draft.text if draft else "", draft.reply_key if draft else None, notice,
                            draft.reply_kind if draft else None)

    def _open_composer(self, message: Message, text: str, reply_key: str | None, notice: str = "",
                       reply_kind: str | None = None) -> None:
        from .screens.composer import ComposerContext, ComposerScreen

        source_key = self._source_key(message)
        natural = reply_kinds(message)[0]
        can_send = self.senders.can_reply(source_key)
        network_name = replies.NETWORK_NAMES.get(message.network, message.network)

        def save_draft(value: str, key: str | None, kind: str | None) -> str | None:
            try:
                self.store.save_draft(message.id, value, reply_key=key, reply_kind=kind, now=self.clock())
            except StoreError as error:
                return str(error)
            return None

        def open_page() -> str | None:
            url = safe_url(message.url)
            if url:
                self.open_in_browser(url)
            return url

        context = ComposerContext(
            message=message,
            text=text,
            reply_key=reply_key,
            limit=self._limit_for(message),
            network_name=network_name,
            kinds=self._reply_kinds(message, source_key),
            reply_kind=reply_kind,
            limit_for=lambda kind: self._limit_for(message, kind),
            refusal=lambda value, kind: refusal_for(
                self.store, message.id, kind or natural, value, self.clock(),
                max_chars=self.senders.max_chars(source_key)),
            window=lambda: self._window_left(message),
            can_send=can_send,
            cannot_send="" if can_send else f"cminbox cannot post on {network_name} from this source",
            notice=notice,
            save_draft=save_draft,
            duplicate=lambda value: self.outbox.duplicate_of(value, message.id, message.network),
            copy=lambda value: copy_text(value, self.copy_to_clipboard),
            open_page=open_page,
            pick_reply=lambda insert: self._choose_reply(message, insert),
            save_as_reply=lambda value: self._save_as_reply(message, value),
            count_use=lambda: self.store.count_use(message.id, self.clock()),
            now=self.clock,
        )
        self.push_screen(ComposerScreen(context), lambda result: self._reply_composed(message, result))

    def _reply_composed(self, message: Message, result: ComposerResult | None) -> None:
        self._after_change([message.id])
        if result is None:
            return
        try:
            ids = self.outbox.queue([QueuedReply(message.id, result.text, result.reply_key, mark_done=result.done,
                                                 reply_kind=result.reply_kind)])
        except (StoreError, ValueError) as error:
            self.notify(Content(f"Not queued: {error}. Your draft is kept."), severity="error", timeout=8)
            return
        self._after_change([message.id])
        self.send_outbox(ids)

    # -- R: saved replies, for one message or the selection --------------------------------------------

    def action_pick_reply(self) -> None:
        ids = self.message_list.targets()
        if len(ids) > 1:
            self._bulk(ids)
            return
        message = self.store.message(ids[0]) if ids else None  # the one selected, or under the cursor
        if message is not None:
            self._choose_reply(message, lambda text, key: self._open_composer(message, text, key))

    def _save_as_reply(self, message: Message, text: str) -> None:
        from .replies.library import install_starter, write_reply
        from .screens.forms import SaveReplyScreen

        library = self._library()
        body = replies.unfill(text, self._values_for(message))
        settings = self._workspace_config()
        lang = message.lang if message.lang in ("fr", "en") else None
        tone = settings.tone if settings and lang == "fr" else None
        # Tagged with its network only when it would not fit everywhere.
        fits_everywhere = all(count(text, strictest(network)) <= strictest(network).chars for network in LIMITED_NETWORKS)
        networks = () if fits_everywhere else (message.network,)
        # Written in one brand's inbox, it is that brand's (an agency's brands never share one by
        # mistake); `workspaces` in the file widens it.
        workspace = self.view.workspace
        workspaces = (workspace.slug,) if workspace else ()
        facts = " · ".join(x for x in (
            lang or "any language", tone, "for " + (networks[0] if networks else "every network"),
            f"{workspace.name} only" if workspaces and workspace else "",
        ) if x)  # fmt: skip

        def save(new: NewReply | None) -> None:
            if new is None:
                return
            folder = library.folder
            try:
                copied = install_starter(folder)[0] if library.starter else []
                path = write_reply(folder, title=new.title, body=body, lang=lang, tone=tone, tags=new.tags, networks=networks,
                                   workspaces=workspaces)
            except (OSError, ValueError) as error:
                self.notify(Content(f"Not saved: {error}"), severity="error", timeout=8)
                return
            extra = f" (the {len(copied) - 1} starter replies were copied there too)" if copied else ""
            self.notify(Content(f"Saved as {path}{extra}"), timeout=6)

        self.push_screen(SaveReplyScreen(body, facts, str(library.folder)), save)

    def action_install_starter(self) -> None:
        from .replies.library import install_starter

        try:
            copied, kept = install_starter(self.replies_dir)
        except OSError as error:
            self.notify(Content(f"Could not copy the starter replies: {error}"), severity="error")
            return
        self.notify(Content(f"Copied {len(copied)} starter files to {self.replies_dir}; kept {len(kept)} already there."), timeout=6)

    # -- bulk answering -----------------------------------------------------------------------------------

    def _bulk(self, ids: list[int]) -> None:
        from .screens.picker import PickerScreen

        messages = [m for m in (self.store.message(i) for i in ids) if m is not None]
        if not messages:
            return
        languages = Counter(m.lang for m in messages if m.lang in ("fr", "en"))
        main_lang = languages.most_common(1)[0][0] if languages else "und"
        # The picker previews its replies (in the main language) filled for this one: one who
        # wrote in that language ("Bonjour Jenna" for an English message read oddly).
        first = next((m for m in messages if m.lang == main_lang), messages[0])

        def picked(reply: SavedReply | None) -> None:
            if reply is None:
                return
            base = self._values_for(first)
            shared = [name for name in replies.placeholder_names(reply.body) if name not in PER_MESSAGE and not base.get(name)]
            if shared and not self._bulk_plan(ids, reply, dict.fromkeys(shared, "…")).ready:
                shared = []  # nothing could be sent whatever the values: no question, the plan says why
            self._ask(reply, shared, lambda asked: self._plan_bulk(ids, reply, asked))

        request = self._picker_request(first, f"for {len(ids)} selected messages", bulk_lang=main_lang)
        self.push_screen(PickerScreen(request), picked)

    def _bulk_plan(self, ids: list[int], reply: SavedReply, asked: dict[str, str]) -> BulkPlan:
        from .replies.bulk import plan_bulk

        return plan_bulk(
            self.store, ids, reply,
            values_for=self._values_for, can_send=self.outbox.can_send, limit_for=self._limit_for, asked=asked,
            refusal=self._rule_refusal,
        )

    def _plan_bulk(self, ids: list[int], reply: SavedReply, asked: dict[str, str]) -> None:
        from .screens.bulk import BulkScreen

        plan = self._bulk_plan(ids, reply, asked)

        def confirmed(go: bool | None) -> None:
            if not go or not plan.ready:
                return
            queued = self.outbox.queue(
                [QueuedReply(item.message_id, item.text, reply.key, mark_done=True) for item in plan.ready],
                batch=uuid.uuid4().hex,
            )
            # What still needs an answer stays selected: R again, with another reply (the English one…).
            self.message_list.selected = {s.message_id for s in plan.skipped if not s.answered}
            self._after_change([item.message_id for item in plan.ready])
            self.send_outbox(queued, skipped=len(plan.skipped))

        self.push_screen(BulkScreen(plan), confirmed)

    def action_select_all(self) -> None:
        message_list = self.message_list
        message_list.selected = set(message_list.ids)
        message_list.invalidate([])
        self.update_list_title()
        self._say(f"Selected {len(message_list.selected)} · R answers them all · escape clears")

    # -- the outbox ----------------------------------------------------------------------------------------

    @work(group="outbox", exit_on_error=False)
    async def send_outbox(self, ids: list[int], skipped: int = 0) -> None:
        """Send queued replies one after the other; the outbox guarantees each goes out at most once."""
        results: list[OutboxItem] = []
        touched: list[int] = []
        before: dict[int, tuple] = {}  # each message's state before its reply marked it done, for z
        for item_id in ids:
            queued = self.store.outbox_item(item_id)
            if queued is not None and queued.mark_done:
                before.update((row[0], row) for row in self.store.snapshot([queued.message_id]))
            item = await self.outbox.send(item_id)
            if item is None:
                continue
            results.append(item)
            touched.append(item.message_id)
            if len(touched) >= _BULK_REFRESH:
                self._after_change(touched)
                touched = []
        if touched:
            self._after_change(touched)
        done = [before[item.message_id] for item in results if item.state == SENT and item.mark_done and item.message_id in before]
        if done:
            self.record_undo("done", done)  # z reopens them (the replies stay sent)
        self._report(results, skipped)

    def _report(self, results: list[OutboxItem], skipped: int = 0) -> None:
        if not results:
            return
        if len(results) == 1 and not skipped:
            item = results[0]
            message = self.store.message(item.message_id)
            who = self._who(message) if message else "?"
            network = replies.NETWORK_NAMES.get(message.network, message.network) if message else ""
            if item.state == SENT:
                self._say(f"Sent to {who} on {network}" + (" · marked done · z reopens it" if item.mark_done else ""))
            elif item.state == FAILED:
                self.notify(Content(f"Not sent to {who}: {item.error}. It waits in the Outbox (0): y retries, r edits."),
                            severity="error", timeout=10)
            elif item.state == UNKNOWN:
                self.notify(Content(f"Not sure the reply to {who} went out: {item.error}. Check the page (o), then y."),
                            severity="warning", timeout=12)
            return
        by_state = {state: sum(1 for r in results if r.state == state) for state in (SENT, FAILED, UNKNOWN)}
        parts = [f"{by_state[SENT]} sent and marked done"]
        if by_state[FAILED]:
            parts.append(f"{by_state[FAILED]} not sent")
        if by_state[UNKNOWN]:
            parts.append(f"{by_state[UNKNOWN]} outcome unknown")
        if skipped:
            parts.append(f"{skipped} skipped")
        trouble = by_state[FAILED] or by_state[UNKNOWN]
        self.notify(Content("Replies: " + " · ".join(parts) + (" (see the Outbox, 0)" if trouble else "")),
                    severity="warning" if trouble else "information", timeout=10)

    def start_outbox(self) -> None:
        """At start-up: replies a stopped cminbox left mid-send are flagged; queued ones go out."""
        interrupted = self.outbox.recover()
        if interrupted:
            self.notify(Content(f"{len(interrupted)} repl{'ies' if len(interrupted) > 1 else 'y'} were being sent when "
                                "cminbox stopped: they may have gone out. See the Outbox (0)."), severity="warning", timeout=15)
        pending = self.store.pending()
        if pending:
            self.send_outbox(pending)

    def action_retry_reply(self) -> None:
        from .screens.forms import ChoiceScreen

        message = self._current_message()
        unsent = [i for i in self.store.replies_to(message.id) if i.state in (FAILED, UNKNOWN)] if message else []
        if not unsent:
            self._say("No unsent reply on this message")
            return
        item = unsent[-1]
        if item.state == FAILED:
            if self.store.requeue(item.id, self.clock()):
                self._after_change([message.id])
                self.send_outbox([item.id])
            return
        network = replies.NETWORK_NAMES.get(message.network, message.network)

        def decided(choice: str | None) -> None:
            if choice == "1":
                self.store.confirm_sent(item.id, self.clock())
                self._after_change([message.id])
                self._say("Marked as sent")
            elif choice == "2" and self.store.requeue(item.id, self.clock()):
                self._after_change([message.id])
                self.send_outbox([item.id])
            elif choice == "o":
                self.action_open_link()

        self.push_screen(
            ChoiceScreen(
                "Did this reply go out?",
                f"“{one_line(item.text, 160)}”\n\n{item.error}\n\nLook at the message's page on {network} before you decide.",
                [("1", "It is there: mark it sent"), ("2", "It is not: send it again (with the same idempotency key)"),
                 ("o", "Open the page to check")],
            ),
            decided,
        )

    def action_discard_draft(self) -> None:
        message = self._current_message()
        if message is None or self.store.draft(message.id) is None:
            self._say("No draft on this message")
            return
        self.store.discard_draft(message.id)
        self._after_change([message.id])
        self._say("Draft discarded")

    def action_toggle_crisis(self) -> None:
        self.pin_crisis_replies = not self.pin_crisis_replies
        self._say("Crisis replies first in the picker" if self.pin_crisis_replies else "Crisis replies no longer pinned")
