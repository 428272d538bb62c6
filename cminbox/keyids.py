"""The action ids a `[keys]` table may remap, read from the bindings themselves, and the ones a
config names that no binding has ("inbox.snoze"): Textual ignores those without a word, so the
key the user meant to move stays where it was and nothing says why.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from textual.binding import Binding


def known_action_ids() -> frozenset[str]:
    """Every binding id of the app, its screens and its widgets, and the folder ids."""
    from .app import InboxApp
    from .screens.bulk import BulkScreen
    from .screens.composer import ComposerScreen
    from .screens.forms import AskScreen, ChoiceScreen, SaveReplyScreen
    from .screens.help import HelpScreen
    from .screens.picker import PickerScreen
    from .screens.sentiment import SentimentScreen
    from .screens.snooze import SnoozeScreen
    from .store.folders import FOLDERS
    from .widgets.detail import DetailPane
    from .widgets.message_list import MessageList

    owners = (InboxApp, BulkScreen, ComposerScreen, AskScreen, ChoiceScreen, SaveReplyScreen, HelpScreen,
              PickerScreen, SentimentScreen, SnoozeScreen, DetailPane, MessageList)  # fmt: skip
    ids = {
        binding.id
        for owner in owners
        for cls in owner.__mro__
        for binding in vars(cls).get("BINDINGS", ())
        if isinstance(binding, Binding) and binding.id
    }
    return frozenset(ids | {f"folder.{folder.key}" for folder in FOLDERS})


def unknown_action_ids(keymap: Iterable[str], known: frozenset[str] | None = None) -> list[str]:
    """What to say of each id in `keymap` that no binding has, with the nearest known spelling."""
    known = known_action_ids() if known is None else known
    said = []
    for action in keymap:
        if action in known:
            continue
        close = difflib.get_close_matches(action, sorted(known), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else " (the README lists the action ids)"
        said.append(f"[keys] {action!r} is no action id, so its keys do nothing{hint}")
    return said
