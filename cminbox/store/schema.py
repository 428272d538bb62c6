"""The database schema, as an ordered list of migrations (sqlite-utils `Migrations`).

A migration, once released, is never edited: later changes are new migrations appended below,
so every user's database walks the same path to the current schema.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from .folders import FOLDERS

migrations = Migrations("cminbox")


def _count_rows(alias: str, delta: int) -> str:
    """SELECT of (workspace, folder, delta) for every folder the `alias` row belongs to."""
    return "\n      UNION ALL ".join(
        f"SELECT {alias}.workspace_id, '{folder.key}', {delta} WHERE {folder.where(alias)}"
        for folder in FOLDERS
    )


def _upsert_counts(select_sql: str) -> str:
    # `WHERE true` resolves the parsing ambiguity between a SELECT and ON CONFLICT.
    return f"""
    INSERT INTO folder_counts (workspace_id, folder, n)
      SELECT * FROM ({select_sql}) WHERE true
      ON CONFLICT (workspace_id, folder) DO UPDATE SET n = n + excluded.n;"""


def folder_count_triggers() -> str:
    """Triggers that keep `folder_counts` exact on every insert, state change and delete."""
    watched = "status, kind, starred, complaint_auto, complaint_override, workspace_id"
    return f"""
    DROP TRIGGER IF EXISTS messages_counts_ai;
    DROP TRIGGER IF EXISTS messages_counts_au;
    DROP TRIGGER IF EXISTS messages_counts_ad;
    CREATE TRIGGER messages_counts_ai AFTER INSERT ON messages BEGIN
      {_upsert_counts(_count_rows("new", 1))}
    END;
    CREATE TRIGGER messages_counts_au AFTER UPDATE OF {watched} ON messages BEGIN
      {_upsert_counts(_count_rows("old", -1) + " UNION ALL " + _count_rows("new", 1))}
    END;
    CREATE TRIGGER messages_counts_ad AFTER DELETE ON messages BEGIN
      {_upsert_counts(_count_rows("old", -1))}
    END;
    """


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE workspaces (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            target_minutes INTEGER NOT NULL DEFAULT 60
        );

        -- One row per configured source. `cursor` is the source's own resume point; it is
        -- written in the same transaction as the messages it covers.
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
            type TEXT NOT NULL,
            label TEXT NOT NULL,
            cursor TEXT,
            state TEXT NOT NULL DEFAULT 'idle',
            last_success REAL,
            last_error TEXT,
            last_error_at REAL,
            next_try REAL,
            fetched_total INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
            native_id TEXT NOT NULL,
            network TEXT NOT NULL,
            kind TEXT NOT NULL,
            author_name TEXT NOT NULL DEFAULT '',
            author_handle TEXT NOT NULL DEFAULT '',
            author_reach INTEGER,
            text TEXT NOT NULL,
            title TEXT,
            url TEXT,
            parent_id TEXT,
            thread_id TEXT,
            lang TEXT,
            rating REAL,
            extra TEXT,
            created_at REAL NOT NULL,
            fetched_at REAL NOT NULL,
            -- Scores, computed once when the message is stored.
            sentiment REAL NOT NULL DEFAULT 0,
            complaint_auto INTEGER NOT NULL DEFAULT 0,
            cues TEXT NOT NULL DEFAULT '',
            weight REAL NOT NULL DEFAULT 0,
            urgency REAL NOT NULL DEFAULT 0,
            reason TEXT NOT NULL DEFAULT '',
            -- What the user did; a re-fetch never touches these.
            status TEXT NOT NULL DEFAULT 'open',
            unread INTEGER NOT NULL DEFAULT 1,
            starred INTEGER NOT NULL DEFAULT 0,
            complaint_override INTEGER,
            snooze_until REAL,
            status_at REAL,
            complaint INTEGER GENERATED ALWAYS AS (coalesce(complaint_override, complaint_auto)) VIRTUAL,
            UNIQUE (source_id, native_id)
        );

        CREATE INDEX messages_by_status ON messages (workspace_id, status, created_at);
        CREATE INDEX messages_by_kind ON messages (workspace_id, status, kind, created_at);
        CREATE INDEX messages_by_complaint ON messages (workspace_id, status, complaint, created_at);
        CREATE INDEX messages_starred ON messages (workspace_id, created_at) WHERE starred = 1;
        CREATE INDEX messages_triage ON messages (workspace_id, urgency)
            WHERE status = 'open' AND complaint = 1;
        CREATE INDEX messages_snoozed ON messages (snooze_until) WHERE status = 'snoozed';
        CREATE INDEX messages_by_author ON messages (workspace_id, network, author_handle);
        CREATE INDEX messages_by_thread ON messages (source_id, thread_id);

        CREATE TABLE folder_counts (
            workspace_id INTEGER NOT NULL,
            folder TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (workspace_id, folder)
        ) WITHOUT ROWID;

        -- Full-text index over what a CM searches: the text, who wrote it, the post it answers.
        CREATE VIRTUAL TABLE messages_fts USING fts5(
            text, author_name, author_handle, title,
            content = 'messages', content_rowid = 'id',
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN
            INSERT INTO messages_fts (rowid, text, author_name, author_handle, title)
            VALUES (new.id, new.text, new.author_name, new.author_handle, new.title);
        END;
        CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, text, author_name, author_handle, title)
            VALUES ('delete', old.id, old.text, old.author_name, old.author_handle, old.title);
        END;
        CREATE TRIGGER messages_fts_au AFTER UPDATE OF text, author_name, author_handle, title
        ON messages BEGIN
            INSERT INTO messages_fts (messages_fts, rowid, text, author_name, author_handle, title)
            VALUES ('delete', old.id, old.text, old.author_name, old.author_handle, old.title);
            INSERT INTO messages_fts (rowid, text, author_name, author_handle, title)
            VALUES (new.id, new.text, new.author_name, new.author_handle, new.title);
        END;
        """
    )
    db.executescript(folder_count_triggers())


@migrations()
def m002_triage_labels_corrections_buzz(db: Database) -> None:
    """Issue 6: the new triage labels, the user's sentiment verdict, the priority's facts,
    business hours, corrections that teach the scorer, and bad-buzz alerts. Existing columns
    keep their meaning; rows stored before keep their scores (new labels read as 0)."""
    db.executescript(
        """
        ALTER TABLE messages ADD COLUMN complaint_score REAL NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN question INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN praise INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN spam INTEGER NOT NULL DEFAULT 0;
        -- The priority's facts, as JSON [[fact in words, minutes of head start], ...].
        ALTER TABLE messages ADD COLUMN facts TEXT NOT NULL DEFAULT '[]';
        -- The user's sentiment verdict (-1 negative, 0 neutral, 1 positive): wins over `sentiment`.
        ALTER TABLE messages ADD COLUMN sentiment_override REAL;

        ALTER TABLE workspaces ADD COLUMN business_hours TEXT NOT NULL DEFAULT '';
        ALTER TABLE workspaces ADD COLUMN timezone TEXT NOT NULL DEFAULT '';

        -- The bad-buzz detector counts a workspace's messages by time, whatever their status.
        CREATE INDEX messages_by_time ON messages (workspace_id, created_at);

        -- Each correction the user made, per workspace: what the scorer learns from. `key`
        -- identifies the message's content (network, author, text), so a verdict exported
        -- from one database and imported into another lands once.
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
            key TEXT NOT NULL,
            message_id INTEGER,
            network TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            lang TEXT,
            complaint INTEGER,
            sentiment TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (workspace_id, key)
        );
        CREATE INDEX corrections_by_message ON corrections (message_id);

        -- Bad-buzz alerts, kept so a restart neither forgets one nor fires it twice.
        CREATE TABLE buzz_alerts (
            id INTEGER PRIMARY KEY,
            workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
            window_start REAL NOT NULL,
            fired_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            ended_at REAL,
            count INTEGER NOT NULL,
            baseline REAL NOT NULL,
            summary TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX buzz_alerts_by_workspace ON buzz_alerts (workspace_id, fired_at);
        """
    )


def apply(db: Database) -> int:
    """Apply what is pending; returns how many migrations the database now has."""
    migrations.apply(db)
    return len(migrations.applied(db))
