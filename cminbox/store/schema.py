"""The database schema, as an ordered list of migrations (sqlite-utils `Migrations`).

A migration, once released, is never edited: later changes are new migrations appended below,
so every user's database walks the same path to the current schema.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from .folders import FOLDER_BY_KEY, Folder, count_rows

migrations = Migrations("cminbox")

# Segments of one size the full-text index lets pile up before merging them (migration 10).
FTS_AUTOMERGE = 16
# Segments of one size past which the index merges them all at once, in the write that adds the
# last one (migration 12): well above FTS_AUTOMERGE, so that merges are done bit by bit after
# each write instead.
FTS_CRISISMERGE = 64

# The folders and watched columns as migration 1 created their triggers: frozen, so that migration
# keeps doing exactly what it did when later ones add folders.
_V1_FOLDERS = tuple(FOLDER_BY_KEY[k] for k in ("all", "comments", "dms", "mentions", "reviews", "complaints", "starred", "snoozed", "done"))
_V1_WATCHED = "status, kind, starred, complaint_auto, complaint_override, workspace_id"
# Migration 4 added the Outbox folder: its triggers, frozen the same way.
_V4_FOLDERS = _V1_FOLDERS + (FOLDER_BY_KEY["outbox"],)
# Migration 13 added the Praise folder, and watches the columns its predicate reads.
_V13_FOLDERS = _V4_FOLDERS + (FOLDER_BY_KEY["praise"],)
_V13_WATCHED = _V1_WATCHED + ", reply_state, praise, question, spam, sentiment_override"


def _upsert_counts(select_sql: str) -> str:
    # `WHERE true` resolves the parsing ambiguity between a SELECT and ON CONFLICT.
    return f"""
    INSERT INTO folder_counts (workspace_id, folder, n)
      SELECT * FROM ({select_sql}) WHERE true
      ON CONFLICT (workspace_id, folder) DO UPDATE SET n = n + excluded.n;"""


def folder_count_triggers(folders: tuple[Folder, ...], watched: str) -> str:
    """Triggers that keep `folder_counts` exact on every insert, state change and delete."""
    return f"""
    DROP TRIGGER IF EXISTS messages_counts_ai;
    DROP TRIGGER IF EXISTS messages_counts_au;
    DROP TRIGGER IF EXISTS messages_counts_ad;
    CREATE TRIGGER messages_counts_ai AFTER INSERT ON messages BEGIN
      {_upsert_counts(count_rows("new", 1, folders))}
    END;
    CREATE TRIGGER messages_counts_au AFTER UPDATE OF {watched} ON messages BEGIN
      {_upsert_counts(count_rows("old", -1, folders) + " UNION ALL " + count_rows("new", 1, folders))}
    END;
    CREATE TRIGGER messages_counts_ad AFTER DELETE ON messages BEGIN
      {_upsert_counts(count_rows("old", -1, folders))}
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
    db.executescript(folder_count_triggers(_V1_FOLDERS, _V1_WATCHED))


@migrations()
def m002_cross_source_identity(db: Database) -> None:
    """A message two sources bring (a Mastodon mention the keyword search also finds) is stored
    once per workspace: `uri_key` is its normalised global identity (`Incoming.uri`). Rows
    stored before have none, and are only deduplicated by (source, native id) as before."""
    db.executescript(
        """
        ALTER TABLE messages ADD COLUMN uri_key TEXT;
        CREATE UNIQUE INDEX messages_by_uri ON messages (workspace_id, uri_key) WHERE uri_key IS NOT NULL;
        """
    )


@migrations()
def m003_platform_rules(db: Database) -> None:
    """What the platforms' reply rules need (see cminbox/reply_rules.py).

    - `messages.hidden`: 1 when the comment is hidden on the network, 0 when visible, NULL when
      the network has no such state (or never said).
    - `conversations`: per DM conversation, the customer's last message and until when it can
      be answered (the 24-hour window, or 7 days with Messenger's human-agent tag), kept at
      ingest; the "expiring soonest" view reads it through its index.
    - `private_replies`: the one private reply a public comment may get. A row is claimed
      before the network is called, so a second one is refused before the API would.
    """
    db.executescript(
        """
        ALTER TABLE messages ADD COLUMN hidden INTEGER;

        CREATE TABLE conversations (
            source_id INTEGER NOT NULL REFERENCES sources(id),
            thread_id TEXT NOT NULL,
            last_customer_at REAL NOT NULL,
            reply_by REAL NOT NULL,
            PRIMARY KEY (source_id, thread_id)
        ) WITHOUT ROWID;
        CREATE INDEX conversations_by_deadline ON conversations (reply_by);

        CREATE TABLE private_replies (
            message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
            state TEXT NOT NULL CHECK (state IN ('sending', 'sent')),
            at REAL NOT NULL
        );
        """
    )


# A message's reply state, from its outbox rows: what needs the user's eye wins
# (unknown, failed, then in flight, then a draft), else "sent" if any reply went out.
_REPLY_STATE = """(SELECT state FROM outbox WHERE message_id = {id}
    ORDER BY CASE state WHEN 'unknown' THEN 0 WHEN 'failed' THEN 1 WHEN 'sending' THEN 2
    WHEN 'queued' THEN 3 WHEN 'draft' THEN 4 ELSE 5 END, id DESC LIMIT 1)"""


@migrations()
def m004_outbox(db: Database) -> None:
    """The outbox (every reply, from draft to sent), saved-reply usage, and the Outbox folder."""
    db.executescript(
        f"""
        ALTER TABLE messages ADD COLUMN reply_state TEXT;
        CREATE INDEX messages_outbox ON messages (workspace_id, created_at)
            WHERE reply_state IN ('queued', 'sending', 'failed', 'unknown');

        -- One row per reply. `idem_key` is set when the reply is queued and travels with every
        -- attempt, so a network that checks it never posts the same reply twice.
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            state TEXT NOT NULL
                CHECK (state IN ('draft', 'queued', 'sending', 'sent', 'failed', 'unknown')),
            reply_key TEXT,
            counted INTEGER NOT NULL DEFAULT 0,
            idem_key TEXT UNIQUE,
            mark_done INTEGER NOT NULL DEFAULT 0,
            batch TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            queued_at REAL,
            sent_at REAL,
            error TEXT,
            error_at REAL,
            sent_native_id TEXT,
            sent_url TEXT
        );
        CREATE UNIQUE INDEX outbox_one_draft ON outbox (message_id) WHERE state = 'draft';
        CREATE INDEX outbox_by_message ON outbox (message_id, state);
        CREATE INDEX outbox_in_flight ON outbox (state) WHERE state IN ('queued', 'sending');
        CREATE INDEX outbox_sent_recently ON outbox (sent_at) WHERE state = 'sent';

        CREATE TRIGGER outbox_state_ai AFTER INSERT ON outbox BEGIN
            UPDATE messages SET reply_state = {_REPLY_STATE.format(id="new.message_id")} WHERE id = new.message_id;
        END;
        CREATE TRIGGER outbox_state_au AFTER UPDATE OF state ON outbox BEGIN
            UPDATE messages SET reply_state = {_REPLY_STATE.format(id="new.message_id")} WHERE id = new.message_id;
        END;
        CREATE TRIGGER outbox_state_ad AFTER DELETE ON outbox BEGIN
            UPDATE messages SET reply_state = {_REPLY_STATE.format(id="old.message_id")} WHERE id = old.message_id;
        END;

        CREATE TABLE reply_usage (
            reply_key TEXT PRIMARY KEY,
            uses INTEGER NOT NULL,
            last_used REAL NOT NULL
        ) WITHOUT ROWID;
        """
    )
    db.executescript(folder_count_triggers(_V4_FOLDERS, _V1_WATCHED + ", reply_state"))


@migrations()
def m005_reply_kind(db: Database) -> None:
    """Which kind of reply each outbox row is: NULL the message's own (in the thread, or in the
    DM conversation), 'private' a private reply to a public comment (a DM quoting it)."""
    db.execute("ALTER TABLE outbox ADD COLUMN reply_kind TEXT")


@migrations()
def m006_triage_labels_corrections_buzz(db: Database) -> None:
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


@migrations()
def m007_count_and_index_per_batch(db: Database) -> None:
    """Storing a message no longer fires a trigger per row for the folder counts and the
    full-text index: `Writes.ingest` (the only code that inserts messages) adds each batch to
    both with one statement each (`folders.batch_counts_sql`, `writes.BATCH_FTS_SQL`), which costs a fraction
    of 2,000 trigger runs. Updates and deletes keep their triggers."""
    db.executescript(
        """
        DROP TRIGGER IF EXISTS messages_counts_ai;
        DROP TRIGGER IF EXISTS messages_fts_ai;
        """
    )


@migrations()
def m008_author_index_by_time(db: Database) -> None:
    """Repeat contacts ask for an author's messages in a time window: with `created_at` in the
    author index that is a range, not a look at every message the author ever sent (which
    made storing a message slower the bigger the inbox: about 390 µs at 1M against 115)."""
    db.executescript(
        """
        DROP INDEX IF EXISTS messages_by_author;
        CREATE INDEX messages_by_author ON messages (workspace_id, network, author_handle, created_at);
        """
    )


@migrations()
def m009_unreadable_items(db: Database) -> None:
    """Items a source could not read, and messages the store refused, kept with the reason and
    what the network sent: nothing a network brings disappears without a trace, and the
    source's health can say how many were set aside (one row per item: a re-read updates it)."""
    db.executescript(
        """
        CREATE TABLE unreadable (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            item TEXT NOT NULL,
            reason TEXT NOT NULL,
            raw TEXT NOT NULL,
            at REAL NOT NULL,
            UNIQUE (source_id, item)
        );
        CREATE INDEX unreadable_by_time ON unreadable (source_id, at);
        """
    )


@migrations()
def m010_fewer_full_text_merges(db: Database) -> None:
    """The full-text index merges its segments once 16 of a level pile up, not SQLite's 4:
    storing a batch spent about a third of its full-text work merging (5 of 17 µs a message,
    one core, 200k messages), and a search, which reads every segment, stays well under a
    millisecond. Kept in the index's own config, so it holds for every connection."""
    db.execute(f"INSERT INTO messages_fts (messages_fts, rank) VALUES ('automerge', {FTS_AUTOMERGE})")


@migrations()
def m011_author_index_by_day(db: Database) -> None:
    """The author index starts with the message's UTC day: a new message lands among the same
    day's entries, not anywhere among every author's. Keyed by author first, each message of a
    batch changed its own page of an index that grows with the inbox (at 1M messages, about one
    page of 4 KiB written per message, and about a fifth of the cost of storing it). Repeat contacts
    read an author's messages of a day or two; an author's whole history is one look per day
    that has messages."""
    db.executescript(
        """
        ALTER TABLE messages ADD COLUMN created_day INTEGER
            GENERATED ALWAYS AS (CAST(created_at / 86400 AS INTEGER)) VIRTUAL;
        DROP INDEX IF EXISTS messages_by_author;
        CREATE INDEX messages_by_author_day
            ON messages (workspace_id, created_day, network, author_handle, created_at);
        """
    )


@migrations()
def m012_full_text_merges_bit_by_bit(db: Database) -> None:
    """The full-text index merges a level's segments a little after each write, not all at once.

    With automerge at 16 (migration 10) and SQLite's crisis merge also at 16, every merge was a
    crisis merge: the write that added the sixteenth segment of a level merged the whole level
    before returning. At 1M messages a batch's full-text statement cost about 40-50 us a
    message, against about 10-13 with the crisis bound at 64 (storing only, on copies of the 1M
    bench inbox)."""
    db.execute(f"INSERT INTO messages_fts (messages_fts, rank) VALUES ('crisismerge', {FTS_CRISISMERGE})")


@migrations()
def m013_praise_folder(db: Database) -> None:
    """The Praise folder: happy customers to thank. `to_thank` is the scorer's praise that is no
    question (a question waits for an answer, and its closing "merci !" read as praise), or the
    CM's positive verdict (`m` then 3), which also takes a message out when it says neutral or
    negative; never a complaint or spam. Its count is kept like the others' (the batch statement
    for inserts, triggers for changes) and its list reads a partial index: only the messages it
    holds are in it."""
    db.executescript(
        f"""
        ALTER TABLE messages ADD COLUMN to_thank INTEGER GENERATED ALWAYS AS (
            spam = 0 AND coalesce(complaint_override, complaint_auto) = 0
            AND CASE WHEN sentiment_override IS NULL THEN praise = 1 AND question = 0 ELSE sentiment_override > 0 END
        ) VIRTUAL;
        -- Keyed by status too, as the status index is: with the status in the partial index's
        -- WHERE instead, SQLite's planner preferred the status index and read every open message.
        CREATE INDEX messages_to_thank ON messages (workspace_id, status, created_at) WHERE to_thank = 1;
        {folder_count_triggers(_V13_FOLDERS, _V13_WATCHED)}
        DROP TRIGGER IF EXISTS messages_counts_ai;  -- inserts are counted per batch (migration 7)
        INSERT INTO folder_counts (workspace_id, folder, n)
            SELECT workspace_id, 'praise', count(*) FROM messages
            WHERE status = 'open' AND to_thank = 1 GROUP BY workspace_id
            ON CONFLICT (workspace_id, folder) DO UPDATE SET n = excluded.n;
        """
    )


def apply(db: Database) -> int:
    """Apply what is pending; returns how many migrations the database now has."""
    migrations.apply(db)
    return len(migrations.applied(db))
