"""Bulk answering: the personalised replies one saved reply will produce, confirmed once."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from .footer_order import DeclaredOrder
from ..replies.bulk import BulkPlan
from ..replies.placeholders import NETWORK_NAMES
from ..textsafe import for_display, one_line

_SNIPPET = 110


class BulkScreen(DeclaredOrder, ModalScreen[bool]):
    """Dismisses with True when the user confirms sending every ready reply."""

    BINDINGS = [
        Binding("ctrl+s,enter", "confirm", "Send them all", id="bulk.send"),
        # When nothing is ready, "Send them all" is dimmed and these keys say why instead.
        Binding("ctrl+s,enter", "nothing_to_send", show=False),
        Binding("escape", "cancel", "Cancel", id="bulk.cancel"),
    ]
    DEFAULT_CSS = """
    BulkScreen { align: center middle; }
    BulkScreen > Vertical {
        width: 92%; max-width: 150; height: 85%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    BulkScreen #bulk-summary { height: auto; }
    BulkScreen #bulk-sample { height: auto; max-height: 12; margin-top: 1; padding: 0 1; border-left: outer $accent; }
    BulkScreen VerticalScroll { height: 1fr; border: round $panel-lighten-2; padding: 0 1; }
    BulkScreen #bulk-list { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, plan: BulkPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical() as box:
            box.border_title = Content(f"Answer {len(plan.ready) + len(plan.skipped)} messages with “{one_line(plan.reply.title, 60)}”")
            box.border_subtitle = "enter send them all · escape cancel" if plan.ready else "nothing to send · escape closes"
            yield Static(self._summary(), id="bulk-summary")
            if plan.ready:
                yield Static(self._sample(), id="bulk-sample")
            with VerticalScroll():
                yield Static(self._list(), id="bulk-list")
        yield Footer()

    def _summary(self) -> Text:
        plan = self.plan
        out = Text()
        out.append(f"{len(plan.ready)} ready to send", style="bold green" if plan.ready else "bold")
        out.append(", each marked done once sent")
        if plan.skipped:
            out.append(f" · {len(plan.skipped)} skipped (listed below)", style="yellow")
        if plan.repeated:
            names = plan.repeated_to
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            out.append(
                f"\n{plan.repeated} replies are word for word the same as another on the same network ({shown}): "
                "networks may treat them as spam. " + (
                    "They share a first name: a reply with {author} or {order_id} tells them apart."
                    if "{first_name}" in plan.reply.body or "{prenom}" in plan.reply.body
                    else "Use a reply with {first_name} or another placeholder."),
                style="bold yellow",
            )
        return out

    def _sample(self) -> Text:
        """The first reply whole, as it will be sent: the list below shows one line of each, where
        a filled placeholder ("{next_update}" → "11 h") could not be checked."""
        first = self.plan.ready[0]
        out = Text()
        out.append(f"The reply to {one_line(first.who, 60)}, in full:\n", style="dim")
        out.append(for_display(first.text))  # filled with the customer's name: untrusted, as drawn elsewhere
        return out

    def _list(self) -> Text:
        out = Text()
        for item in self.plan.ready:
            out.append("✓ ", style="green")
            out.append(f"{item.who} ", style="bold")
            out.append(f"({NETWORK_NAMES.get(item.network, item.network)}) ", style="dim")
            out.append(one_line(item.text, _SNIPPET * 2) + "\n")
        if self.plan.skipped:
            out.append("\nSkipped\n", style="bold underline")
        for skipped in self.plan.skipped:
            out.append("– ", style="yellow")
            out.append(f"{skipped.who}: ", style="bold")
            out.append(skipped.reason + "\n", style="dim")
        out.rstrip()
        return out

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "confirm":
            return True if self.plan.ready else None
        return True

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_nothing_to_send(self) -> None:
        self.notify("Nothing to send: every message is skipped (the reasons are listed). escape closes.", timeout=4)

    def action_cancel(self) -> None:
        self.dismiss(False)
