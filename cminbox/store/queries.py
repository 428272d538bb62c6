"""Everything that reads: folder id lists, the rows near the viewport, one message, counts, search.

Nothing here loads a whole folder's rows: lists are compact arrays of ids, and rows are fetched
by id, a screenful at a time.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import Guarded
from .folders import FOLDER_BY_KEY, FOLDERS
from .scoring import names_somebody

# How many characters of a message the list needs (one line, however wide the terminal).
_SNIPPET_CHARS = 400
# How far back a source's health counts the items it set aside (older ones stay listed).
UNREADABLE_DAYS = 7


@dataclass(frozen=True, slots=True)
class Workspace:
    id: int
    slug: str
    name: str
    target_minutes: int
    business_hours: str = ""
    timezone: str = ""


@dataclass(frozen=True, slots=True)
class SourceHealth:
    key: str
    type: str
    label: str
    state: str
    last_success: float | None
    last_error: str | None
    last_error_at: float | None
    next_try: float | None
    fetched_total: int
    unreadable: int = 0  # items set aside in the UNREADABLE_DAYS before its last success (Store.unreadable lists them)
    unreadable_latest: str | None = None  # the newest of them: "id: why"
    notices: tuple[str, ...] = ()  # what the source says about itself, not a failure (Store.set_source_notices)


@dataclass(frozen=True, slots=True)
class UnreadableItem:
    """An item a source set aside, as `cminbox sources --unreadable` shows it."""

    source_key: str
    source_label: str
    item: str
    reason: str
    raw: str
    at: float


@dataclass(frozen=True, slots=True)
class ListRow:
    """What one line of the message list shows."""

    id: int
    network: str
    kind: str
    author_name: str
    author_handle: str
    snippet: str
    sentiment: float
    complaint: bool
    starred: bool
    unread: bool
    status: str
    created_at: float
    urgency: float
    cues: str
    hidden: bool = False  # hidden on the network (a moderated comment)
    reply_by: float | None = None  # a DM's messaging window closes then (Messenger, Instagram)
    reply_state: str | None = None  # draft / queued / sending / sent / failed / unknown
    spam: bool = False
    snooze_until: float | None = None  # a snoozed message comes back then


# The user's sentiment verdict wins over the scored one, as `complaint` does for complaints.
# A message none of whose replies has gone out yet (a draft, one queued or failed do not count).
_UNANSWERED = "coalesce(reply_state, '') != 'sent'"

_LIST_COLUMNS = (
    f"id, network, kind, author_name, author_handle, substr(text, 1, {_SNIPPET_CHARS}), "
    "coalesce(sentiment_override, sentiment), complaint, starred, unread, status, created_at, urgency, cues, "
    "coalesce(hidden, 0), "
    "(SELECT c.reply_by FROM conversations c WHERE messages.kind = 'dm' "
    "AND c.source_id = messages.source_id AND c.thread_id = messages.thread_id), "
    "reply_state, spam, CASE WHEN status = 'snoozed' THEN snooze_until END"
)


@dataclass(frozen=True, slots=True)
class Message:
    """A whole stored message, for the detail pane."""

    id: int
    source_id: int
    workspace_id: int
    native_id: str
    network: str
    kind: str
    author_name: str
    author_handle: str
    author_reach: int | None
    text: str
    title: str | None
    url: str | None
    parent_id: str | None
    thread_id: str | None
    lang: str | None
    rating: float | None
    created_at: float
    sentiment: float
    complaint_auto: bool
    complaint_override: bool | None
    complaint: bool
    cues: str
    weight: float
    reason: str
    status: str
    unread: bool
    starred: bool
    snooze_until: float | None
    hidden: bool | None = None  # None: the network has no hidden state for it
    reply_state: str | None = None
    complaint_score: float = 0.0
    question: bool = False
    praise: bool = False
    spam: bool = False
    facts: str = "[]"
    sentiment_override: float | None = None

    @property
    def shown_sentiment(self) -> float:
        """The user's sentiment verdict when there is one, else the scored sentiment."""
        return self.sentiment if self.sentiment_override is None else self.sentiment_override


_MESSAGE_COLUMNS = ", ".join(Message.__dataclass_fields__)


def _list_row(r: tuple) -> ListRow:
    return ListRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), bool(r[8]), bool(r[9]), r[10], r[11], r[12], r[13],
                   bool(r[14]), r[15], r[16], bool(r[17]), r[18])


def _message(r: tuple) -> Message:
    values = list(r)
    for name in ("complaint_auto", "complaint", "unread", "starred", "question", "praise", "spam"):
        index = _MESSAGE_FIELDS.index(name)
        values[index] = bool(values[index])
    for name in ("complaint_override", "hidden"):
        index = _MESSAGE_FIELDS.index(name)
        if values[index] is not None:
            values[index] = bool(values[index])
    return Message(*values)


_MESSAGE_FIELDS = tuple(Message.__dataclass_fields__)

# A search word: letters/digits (any script), with inner apostrophes or hyphens; or a quoted phrase.
_SEARCH_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\w[\w\'’-]*)', re.UNICODE)
_FIELD_PREFIX = re.compile(r"^(from|by|de):", re.IGNORECASE)


# The full-text index folds accents but not ligatures: "œufs" and "oeufs" are different words
# to it, and French is typed both ways (most keyboards have no œ). A search tries both.
_LIGATURES = (("œ", "oe"), ("æ", "ae"))


def _ligature_spellings(word: str) -> list[str]:
    """`word`, and the same with its ligatures written out, or its "oe"/"ae" as ligatures."""
    spellings = [word]
    lowered = word.lower()
    for ligature, letters in _LIGATURES:
        if ligature in lowered:
            spellings.append(lowered.replace(ligature, letters))
        elif letters in lowered:
            spellings.append(lowered.replace(letters, ligature))
    return spellings


def fts_query(user_query: str, *, prefix_last: bool = True) -> str | None:
    """Turn what a user typed into a safe FTS5 query; None when nothing searchable remains.

    Every term is quoted (so `AND`, `NEAR`, `*`, `:` or stray quotes in the input are plain text),
    the last word matches as a prefix while typing, `-word` excludes, `"a phrase"` matches
    exactly, and `from:name` looks only at authors.
    """
    positive: list[str] = []
    negative: list[str] = []
    ends_in_word = bool(user_query) and not user_query[-1].isspace() and user_query[-1] != '"'
    text = user_query.strip()
    author_terms: list[str] = []
    for word in text.split():
        match = _FIELD_PREFIX.match(word)
        if match and len(word) > len(match.group(0)):
            author_terms.append(word[len(match.group(0)) :])
            text = text.replace(word, " ", 1)
    tokens = list(_SEARCH_TOKEN.finditer(text))
    for index, token in enumerate(tokens):
        if token.group(2) is not None:
            minus, body, is_phrase = token.group(1), token.group(2).strip(), True
        else:
            minus, body, is_phrase = token.group(3), token.group(4), False
        body = body.replace("’", "'").strip("'-")
        if not body:
            continue
        star = "*" if prefix_last and not is_phrase and index == len(tokens) - 1 and ends_in_word and not minus else ""
        spellings = ['"' + spelling.replace('"', '""') + '"' + star for spelling in _ligature_spellings(body)]
        term = spellings[0] if len(spellings) == 1 else "(" + " OR ".join(spellings) + ")"
        (negative if minus else positive).append(term)
    for name in author_terms:
        words = re.findall(r"\w+", name, re.UNICODE)
        if words:
            phrase = '"' + " ".join(words).replace('"', '""') + '"*'
            positive.append("{author_name author_handle} : " + phrase)
    if not positive:
        return None
    query = " AND ".join(positive)
    for term in negative:
        query = f"({query}) NOT {term}"
    return query


class Queries(Guarded):

    # -- workspaces, sources, counts ----------------------------------------------------

    def workspaces(self) -> list[Workspace]:
        with self._reading():
            rows = self.conn.execute(
                "SELECT id, slug, name, target_minutes, business_hours, timezone FROM workspaces ORDER BY name"
            ).fetchall()
        return [Workspace(*r) for r in rows]

    def sources(self, workspace_id: int | None = None) -> list[SourceHealth]:
        # "Lately" is measured back from the source's last success, on the clock that stored both.
        lately = "u.source_id = sources.id AND u.at >= coalesce(sources.last_success, 0) - :window"
        sql = f"""SELECT key, type, label, state, last_success, last_error, last_error_at, next_try, fetched_total,
                        (SELECT count(*) FROM unreadable u WHERE {lately}),
                        (SELECT u.item || ': ' || u.reason FROM unreadable u WHERE {lately}
                         ORDER BY u.at DESC, u.id DESC LIMIT 1)
                 FROM sources"""
        params: dict = {"window": UNREADABLE_DAYS * 86400}
        if workspace_id is not None:
            sql += " WHERE workspace_id = :workspace"
            params["workspace"] = workspace_id
        with self._reading():
            rows = self.conn.execute(sql + " ORDER BY label", params).fetchall()
        return [SourceHealth(*r, notices=self.notices.get(r[0], ())) for r in rows]

    def unreadable(self, key: str | None = None) -> list[UnreadableItem]:
        """The items set aside (a source could not read them, or the store refused them), newest
        first; one source's when `key` is given."""
        sql = """SELECT s.key, s.label, u.item, u.reason, u.raw, u.at FROM unreadable u
                 JOIN sources s ON s.id = u.source_id"""
        params: list = []
        if key is not None:
            sql += " WHERE s.key = ?"
            params.append(key)
        with self._reading():
            rows = self.conn.execute(sql + " ORDER BY u.at DESC, u.id DESC", params).fetchall()
        return [UnreadableItem(*r) for r in rows]

    def source_cursor(self, key: str) -> str | None:
        with self._reading():
            row = self.conn.execute("SELECT cursor FROM sources WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def folder_counts(self, workspace_id: int) -> dict[str, int]:
        """Every folder's count, kept exact by triggers: a lookup, never a scan."""
        with self._reading():
            rows = self.conn.execute(
                "SELECT folder, n FROM folder_counts WHERE workspace_id = ?", (workspace_id,)
            ).fetchall()
        counts = {folder.key: 0 for folder in FOLDERS}
        counts.update(rows)
        return counts

    def max_id(self) -> int:
        with self._reading():
            return self.conn.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]

    # -- lists ----------------------------------------------------------------------------

    def folder_ids(
        self,
        workspace_id: int,
        folder: str,
        *,
        limit: int | None = None,
        after_id: int = 0,
        upto_id: int | None = None,
    ) -> tuple[array, array]:
        """(ids, created_at) of a folder, newest first.

        `after_id` / `upto_id` bound the row ids, so a list loaded up to a watermark and the
        arrivals fetched after it never overlap.
        """
        where = FOLDER_BY_KEY[folder].where()
        sql = f"SELECT id, created_at FROM messages WHERE workspace_id = ? AND {where}"
        params: list = [workspace_id]
        if after_id:
            sql += " AND id > ?"
            params.append(after_id)
        if upto_id is not None:
            sql += " AND id <= ?"
            params.append(upto_id)
        sql += " ORDER BY created_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return self._id_arrays(sql, params)

    def search_ids(self, workspace_id: int, query: str, *, limit: int | None = None) -> tuple[array, array]:
        """(ids, created_at) of messages matching what the user typed, most recently stored first.

        Ordered by rowid, which FTS5 walks in index order: sorting a common word's hundreds
        of thousands of hits by date would take a second.
        """
        match = fts_query(query)
        if match is None:
            return array("q"), array("d")
        if limit is None:
            return self._search_hits(match, workspace_id, None)
        # A prefix ("comm*") merges every word it starts: over a million messages that takes
        # tens of ms. For a first page, whole-word hits are tried first (well under a ms); the
        # full list, loaded next, has the prefix matches too.
        whole_words = fts_query(query, prefix_last=False)
        if whole_words != match:
            ids, created = self._search_hits(whole_words, workspace_id, limit)
            if len(ids) == limit:
                return ids, created
        return self._search_hits(match, workspace_id, limit)

    def _search_hits(self, match: str, workspace_id: int, limit: int | None) -> tuple[array, array]:
        """The hits in a message's own words or its author's name first, then those found only in
        the post it answers (its title): a word of a busy post's caption would otherwise list
        every comment under it, "haha oui" included, before the messages that say it. Newest first
        within each (see `_hits`)."""
        own = f"{{text author_name author_handle}} : ({match})"
        sql = """SELECT m.id, m.created_at FROM messages_fts f JOIN messages m ON m.id = f.rowid
                 WHERE messages_fts MATCH ? AND m.workspace_id = ? ORDER BY f.rowid DESC"""
        ids, created = self._hits(sql, f"({match}) AND ({own})", workspace_id, limit)
        if limit is not None and len(ids) >= limit:
            return ids, created
        more_ids, more_created = self._hits(sql, f"({match}) NOT ({own})", workspace_id, None if limit is None else limit - len(ids))
        ids.extend(more_ids)
        created.extend(more_created)
        return ids, created

    def _hits(self, sql: str, match: str, workspace_id: int, limit: int | None) -> tuple[array, array]:
        """Every hit newest first by date; or, when `limit` cuts them short, the last stored: to
        find the newest few of a common word's hundreds of thousands of hits by date, SQLite would
        sort them all (a second), while FTS5 walks its index in storage order. The full list,
        loaded after the first page, is by date."""
        if limit is not None:
            sql += " LIMIT ?"
        ids, created = self._id_arrays(sql, [match, workspace_id, *([limit] if limit is not None else [])])
        if limit is not None and len(ids) >= limit:
            return ids, created
        return _newest_first(ids, created)

    def _id_arrays(self, sql: str, params: Sequence) -> tuple[array, array]:
        ids, created = array("q"), array("d")
        with self._reading():
            cur = self.conn.execute(sql, params)
            while batch := cur.fetchmany(50_000):
                ids.extend(r[0] for r in batch)
                created.extend(r[1] for r in batch)
        return ids, created

    def in_folder(self, ids: Sequence[int], folder: str) -> set[int]:
        """Which of these rows belong to a folder now."""
        if not ids:
            return set()
        where = FOLDER_BY_KEY[folder].where()
        with self._reading():
            rows = self.conn.execute(
                f"SELECT id FROM messages WHERE id IN ({','.join('?' * len(ids))}) AND {where}", list(ids)
            ).fetchall()
        return {r[0] for r in rows}

    def data_version(self) -> int:
        """Changes when another connection (a `cminbox sync`, say) commits to the database."""
        with self._reading():
            return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def list_rows(self, ids: Sequence[int]) -> dict[int, ListRow]:
        if not ids:
            return {}
        with self._reading():
            rows = self.conn.execute(
                f"SELECT {_LIST_COLUMNS} FROM messages WHERE id IN ({','.join('?' * len(ids))})", list(ids)
            ).fetchall()
        return {r[0]: _list_row(r) for r in rows}

    def triage(self, workspace_id: int, limit: int = 50) -> list[ListRow]:
        """Open complaints still waiting for an answer, most urgent first (earliest `created_at -
        weight`). One whose reply went out has met its response clock: it stays in the Complaints
        folder until done, but is no longer urgent (nor late)."""
        with self._reading():
            rows = self.conn.execute(
                f"""SELECT {_LIST_COLUMNS} FROM messages INDEXED BY messages_triage
                    WHERE workspace_id = ? AND status = 'open' AND complaint = 1 AND {_UNANSWERED}
                    ORDER BY urgency LIMIT ?""",
                (workspace_id, limit),
            ).fetchall()
        return [_list_row(r) for r in rows]

    # -- one message ----------------------------------------------------------------------

    def message(self, message_id: int) -> Message | None:
        with self._reading():
            row = self.conn.execute(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)).fetchone()
        return _message(row) if row else None

    def thread(self, message: Message, limit: int = 20) -> list[Message]:
        """The conversation before a message, oldest first: its parent chain always, then the
        latest earlier messages of the same thread, `limit` in all."""
        parents: dict[int, Message] = {}
        others: dict[int, Message] = {}
        with self._reading():
            parent = message.parent_id
            while parent and len(parents) < limit:
                row = self.conn.execute(
                    f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE source_id = ? AND native_id = ?",
                    (message.source_id, parent),
                ).fetchone()
                if row is None or row[0] in parents:
                    break
                parents[row[0]] = _message(row)
                parent = parents[row[0]].parent_id
            if message.thread_id:
                rows = self.conn.execute(
                    f"""SELECT {_MESSAGE_COLUMNS} FROM messages
                        WHERE source_id = ? AND (thread_id = ? OR native_id = ?) AND id != ?
                        AND created_at <= ? ORDER BY created_at DESC LIMIT ?""",
                    (message.source_id, message.thread_id, message.thread_id, message.id, message.created_at, limit),
                ).fetchall()
                for row in rows:
                    if row[0] not in parents:
                        others[row[0]] = _message(row)
        parents.pop(message.id, None)
        room = max(0, limit - len(parents))
        latest_others = sorted(others.values(), key=lambda m: (m.created_at, m.id))[-room:] if room else []
        return sorted([*parents.values(), *latest_others], key=lambda m: (m.created_at, m.id))

    def author_history(self, message: Message) -> int:
        """How many earlier messages the same author sent this workspace on this network.

        The author index is kept by day (see migration 11): this is one look in it per day the
        workspace has messages, up to this one's (a year of a 1M inbox: about 2 ms). The
        query walks those days itself, each found from the last in the same index, so a stray
        date years off adds one day, not every day in between."""
        if not names_somebody(message.author_handle, message.author_name):
            return 0  # no handle, and no name or nobody's ("Anonyme")
        who = "author_handle = :who" if message.author_handle else "author_handle = '' AND author_name = :who"
        with self._reading():
            row = self.conn.execute(
                f"""WITH RECURSIVE days(day) AS (
                        SELECT min(created_day) FROM messages WHERE workspace_id = :workspace
                        UNION ALL
                        SELECT (SELECT created_day FROM messages WHERE workspace_id = :workspace
                                AND created_day > days.day ORDER BY created_day LIMIT 1)
                        FROM days WHERE days.day < CAST(:before / 86400 AS INTEGER)
                    )
                    SELECT count(*) FROM days JOIN messages INDEXED BY messages_by_author_day
                        ON workspace_id = :workspace AND created_day = days.day
                    WHERE network = :network AND {who} AND created_at < :before""",
                {
                    "workspace": message.workspace_id,
                    "network": message.network,
                    "who": message.author_handle or message.author_name,
                    "before": message.created_at,
                },
            ).fetchone()
        return row[0]

    def report_rows(self, workspace_id: int, start: float, end: float) -> list[tuple]:
        """The workspace's messages from `start` to `end` (spam left out), oldest first, as the
        month's report reads them: (created_at, network, kind, author_name, author_handle,
        shown sentiment, complaint, status, status_at, starred, cues, url, text, first reply
        sent at, praise to thank). A range of the time index, and one look in the outbox per
        message."""
        with self._reading():
            return self.conn.execute(
                """SELECT m.created_at, m.network, m.kind, m.author_name, m.author_handle,
                          coalesce(m.sentiment_override, m.sentiment), m.complaint, m.status, m.status_at,
                          m.starred, m.cues, m.url, m.text,
                          (SELECT min(o.sent_at) FROM outbox o WHERE o.message_id = m.id AND o.state = 'sent'),
                          m.to_thank
                   FROM messages m INDEXED BY messages_by_time
                   WHERE m.workspace_id = ? AND m.created_at >= ? AND m.created_at < ? AND m.spam = 0
                   ORDER BY m.created_at""",
                (workspace_id, start, end),
            ).fetchall()


def _newest_first(ids: array, created: array) -> tuple[array, array]:
    """Hits in storage order, newest first by date (ties: last stored first). Messages synced
    day by day are stored in date order already (one pass says so); an import of older ones
    is not, and is sorted (about 0.2 s for 600,000 mostly ordered hits, in the list's worker)."""
    if all(map(float.__ge__, created, created[1:])):
        return ids, created
    order = sorted(range(len(ids)), key=created.__getitem__, reverse=True)  # stable: ties keep their order
    return array("q", map(ids.__getitem__, order)), array("d", map(created.__getitem__, order))
