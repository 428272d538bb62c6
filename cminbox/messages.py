"""App-wide messages: posted by background work, handled by the app in one place."""

from __future__ import annotations

from textual.message import Message


class StoreChanged(Message):
    """Rows were written (new arrivals, or another process's changes): views should catch up."""

    def __init__(self, new_messages: int = 0) -> None:
        self.new_messages = new_messages
        super().__init__()
