"""The inbox's folders: one SQL predicate each, shared by the counting triggers and the list queries.

Keeping the definition in one place means a folder's count and its contents can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Columns a folder predicate may use; written `{column}` so triggers can qualify them (`new.status`).
_COLUMNS: Final = ("status", "kind", "complaint", "starred", "reply_state")


@dataclass(frozen=True, slots=True)
class Folder:
    key: str
    label: str
    template: str

    def where(self, alias: str = "") -> str:
        """The predicate, its columns qualified by `alias` (`new`, `old`, `m`) when given."""
        prefix = f"{alias}." if alias else ""
        out = self.template
        for column in _COLUMNS:
            out = out.replace(f"{{{column}}}", prefix + column)
        return out


# Sidebar order, which is also the order of the 1…9 keys (then 0).
FOLDERS: Final = (
    Folder("all", "All", "{status} = 'open'"),
    Folder("comments", "Comments", "{status} = 'open' AND {kind} = 'comment'"),
    Folder("dms", "DMs", "{status} = 'open' AND {kind} = 'dm'"),
    Folder("mentions", "Mentions", "{status} = 'open' AND {kind} = 'mention'"),
    Folder("reviews", "Reviews", "{status} = 'open' AND {kind} = 'review'"),
    Folder("complaints", "Complaints", "{status} = 'open' AND {complaint} = 1"),
    Folder("starred", "Starred", "{starred} = 1"),
    Folder("snoozed", "Snoozed", "{status} = 'snoozed'"),
    Folder("done", "Done", "{status} = 'done'"),
    # Replies not sent yet: waiting, failed, or whose outcome is unknown (see cminbox/outbox.py).
    Folder("outbox", "Outbox", "{reply_state} IN ('queued', 'sending', 'failed', 'unknown')"),
)
FOLDER_BY_KEY: Final = {folder.key: folder for folder in FOLDERS}


def folder_key(number: int) -> str:
    """The key that opens the folder at this 1-based position: 1…9, then 0."""
    return str(number % 10)
