"""The local SQLite cache (core: no UI imports)."""

from .db import Store
from .errors import StoreError, describe_error
from .folders import FOLDER_BY_KEY, FOLDERS, Folder
from .outbox import OutboxItem, QueuedReply
from .queries import ListRow, Message, SourceHealth, UnreadableItem, Workspace, fts_query
from .writes import IngestResult

__all__ = [
    "FOLDERS",
    "FOLDER_BY_KEY",
    "Folder",
    "OutboxItem",
    "QueuedReply",
    "IngestResult",
    "ListRow",
    "Message",
    "SourceHealth",
    "UnreadableItem",
    "Store",
    "StoreError",
    "describe_error",
    "Workspace",
    "fts_query",
]
