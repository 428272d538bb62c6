"""The local SQLite cache (core: no UI imports)."""

from .db import Store
from .errors import StoreError, describe_error
from .folders import FOLDER_BY_KEY, FOLDERS, Folder, folder_key
from .outbox import OutboxItem, QueuedReply
from .queries import ListRow, Message, SourceHealth, UnreadableItem, Workspace, fts_query
from .writes import IngestResult

__all__ = [
    "FOLDERS",
    "FOLDER_BY_KEY",
    "Folder",
    "OutboxItem",
    "QueuedReply",
    "folder_key",
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
