"""App-wide messages: posted by background work, handled by the app in one place."""

from __future__ import annotations

from textual.message import Message


class StoreChanged(Message):
    """Rows were written (new arrivals, or another process's changes): views should catch up."""

    def __init__(self, new_messages: int = 0) -> None:
        self.new_messages = new_messages
        super().__init__()


class BuzzChanged(Message):
    """The bad-buzz check ran: `alert` is the active alert of the workspace, or None."""

    def __init__(self, workspace_id: int, alert) -> None:
        self.workspace_id = workspace_id
        self.alert = alert
        super().__init__()


class Rescored(Message):
    """Open messages were scored again after a correction: lists and panels repaint them."""

    def __init__(self, ids: list[int], corrected: list[int]) -> None:
        self.ids = ids  # every message scored again
        self.similar = [i for i in ids if i not in set(corrected)]  # ...but the corrected ones
        super().__init__()
