"""The inbox's folders: one SQL predicate each, shared by the counting triggers and the list queries.

Keeping the definition in one place means a folder's count and its contents can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Columns a folder predicate may use; written `{column}` so triggers can qualify them (`new.status`).
_COLUMNS: Final = ("status", "kind", "complaint", "starred", "reply_state", "to_thank")


@dataclass(frozen=True, slots=True)
class Folder:
    key: str
    label: str
    template: str
    hotkey: str  # the key that opens it (remappable as `folder.<key>`)

    def where(self, alias: str = "") -> str:
        """The predicate, its columns qualified by `alias` (`new`, `old`, `m`) when given."""
        prefix = f"{alias}." if alias else ""
        out = self.template
        for column in _COLUMNS:
            out = out.replace(f"{{{column}}}", prefix + column)
        return out


# Sidebar order.
FOLDERS: Final = (
    Folder("all", "All", "{status} = 'open'", "1"),
    Folder("comments", "Comments", "{status} = 'open' AND {kind} = 'comment'", "2"),
    Folder("dms", "DMs", "{status} = 'open' AND {kind} = 'dm'", "3"),
    Folder("mentions", "Mentions", "{status} = 'open' AND {kind} = 'mention'", "4"),
    Folder("reviews", "Reviews", "{status} = 'open' AND {kind} = 'review'", "5"),
    Folder("complaints", "Complaints", "{status} = 'open' AND {complaint} = 1", "6"),
    # Happy customers to thank: praise that asks nothing, or what the CM marked positive; never a
    # complaint or spam (`to_thank`, migration 13).
    Folder("praise", "Praise", "{status} = 'open' AND {to_thank} = 1", "p"),
    Folder("starred", "Starred", "{starred} = 1", "7"),
    Folder("snoozed", "Snoozed", "{status} = 'snoozed'", "8"),
    Folder("done", "Done", "{status} = 'done'", "9"),
    # Replies not sent yet: waiting, failed, or whose outcome is unknown (see cminbox/outbox.py).
    Folder("outbox", "Outbox", "{reply_state} IN ('queued', 'sending', 'failed', 'unknown')", "0"),
)
FOLDER_BY_KEY: Final = {folder.key: folder for folder in FOLDERS}


def count_rows(alias: str, delta: int | str, folders: tuple[Folder, ...], table: str = "") -> str:
    """SELECT of (workspace, folder, delta) for every folder the `alias` row belongs to (a
    trigger's `new`/`old` row, or each row of `table`)."""
    source = f" FROM {table}" if table else ""
    return "\n      UNION ALL ".join(
        f"SELECT {alias}.workspace_id, '{folder.key}', {delta}{source} WHERE {folder.where(alias)}"
        for folder in folders
    )


def batch_counts_sql(folders: tuple[Folder, ...] = FOLDERS) -> str:
    """Add to `folder_counts` the rows whose id lies between two parameters (a batch just
    inserted): rows are grouped by the columns folders read first, so each folder's predicate
    runs once per distinct combination rather than once per row."""
    columns = ", ".join(("workspace_id", *_COLUMNS))
    return f"""
    WITH batch AS (
      SELECT {columns}, count(*) AS n FROM messages WHERE id BETWEEN ? AND ? GROUP BY {columns}
    ), counted (workspace_id, folder, n) AS (
      {count_rows("batch", "batch.n", folders, table="batch")}
    )
    INSERT INTO folder_counts (workspace_id, folder, n)
      SELECT workspace_id, folder, sum(n) FROM counted WHERE true GROUP BY workspace_id, folder
      ON CONFLICT (workspace_id, folder) DO UPDATE SET n = n + excluded.n"""
