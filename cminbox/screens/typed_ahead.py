"""Keys typed ahead into a dialog: what was typed in one burst with the key that opened it.

A paste, a fast typist or one SSH packet brings "s45m", "rBonjour" or "Rretard": the app acts
on the first key at once (its keys are priority bindings), and the keys queued behind it reach the new
dialog before its text field has the focus, at the dialog itself. There they go to the field,
as if typed a moment later. Keys the field had already take no detour: it stops the printable
ones; enter reaches the dialog either way and is acted on once.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea


class TypedAhead:
    """Mixed into a dialog screen whose `typed_field()` takes what is typed."""

    def typed_field(self) -> Input | TextArea:
        raise NotImplementedError

    async def on_key(self, event: events.Key) -> None:
        field = self.typed_field()
        if event.key == "enter":
            event.stop()
            if isinstance(field, Input):
                await field.action_submit()
            else:
                field.insert("\n")
        elif event.is_printable and event.character:
            event.stop()
            if isinstance(field, Input):
                field.insert_text_at_cursor(event.character)
            else:
                field.insert(event.character)
