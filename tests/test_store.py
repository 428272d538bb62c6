"""The local cache: ingest, user state that survives re-fetches, counts, search, threads."""

from __future__ import annotations

import random
import sqlite3

import pytest

from cminbox.models import Incoming
from cminbox.store import FOLDERS, Store, StoreError, fts_query
from conftest import NOW, database_before, make_message


def recount(store: Store, workspace_id: int) -> dict[str, int]:
    """Folder counts the slow way, to check the trigger-maintained ones."""
    out = {}
    for folder in FOLDERS:
        out[folder.key] = store.conn.execute(
            f"SELECT count(*) FROM messages WHERE workspace_id = ? AND {folder.where()}", (workspace_id,)
        ).fetchone()[0]
    return out


def test_ingest_stores_scores_and_cursor(store):
    result = store.ingest("test", [make_message(text="Toujours pas reçu ma commande, je veux un remboursement")], cursor="c1")
    assert len(result.new_ids) == 1 and not result.rejected
    row = store.message(result.new_ids[0])
    assert row.complaint and "remboursement" in row.cues
    assert row.lang == "fr"
    assert store.source_cursor("test") == "c1"


def test_refetch_updates_content_but_keeps_user_state(store):
    first = make_message(native_id="same", text="my order is late")
    [mid] = store.ingest("test", [first]).new_ids
    store.set_status([mid], "snoozed", snooze_until=NOW + 3600)
    store.set_starred([mid], True)
    store.set_unread([mid], False)
    store.set_complaint_override([mid], False)

    edited = make_message(native_id="same", text="my order is late (edited)", author_reach=5000)
    result = store.ingest("test", [edited])
    assert result.new_ids == [] and result.updated == 1
    row = store.message(mid)
    assert row.text == "my order is late (edited)"
    assert row.author_reach == 5000
    assert (row.status, row.starred, row.unread, row.complaint_override) == ("snoozed", True, False, False)
    assert row.snooze_until == NOW + 3600
    assert store.conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 1


def test_same_native_id_from_another_source_is_another_message(store):
    store.register_source("other", "brand", "test", "other")
    store.ingest("test", [make_message(native_id="42")])
    store.ingest("other", [make_message(native_id="42")])
    assert store.conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 2


def test_duplicates_within_a_batch_are_stored_once(store):
    result = store.ingest("test", [make_message(native_id="d", text="one"), make_message(native_id="d", text="two")])
    assert len(result.new_ids) == 1
    assert store.message(result.new_ids[0]).text == "two"


@pytest.mark.parametrize(
    "bad, reason",
    [
        (dict(native_id=""), "no id"),
        (dict(kind="tweet"), "unknown kind"),
        (dict(created_at="yesterday"), "invalid timestamp"),
        (dict(created_at=float("nan")), "out of range"),
        (dict(created_at=-5), "out of range"),
        (dict(created_at=10**12), "out of range"),
        (dict(author_reach=-3), "reach"),
        (dict(text=None), "not text"),
    ],
)
def test_bad_messages_are_rejected_with_a_reason_and_the_rest_stored(store, bad, reason):
    good = make_message()
    result = store.ingest("test", [make_message(**bad), good])
    assert len(result.new_ids) == 1
    assert len(result.rejected) == 1 and reason in result.rejected[0][1]


def test_unknown_source_is_an_error(store):
    with pytest.raises(KeyError):
        store.ingest("nope", [make_message()])


def test_folder_counts_stay_exact_through_random_actions(store):
    rng = random.Random(7)
    kinds = ["comment", "dm", "mention", "review"]
    texts = ["merci c'est top", "still waiting for my refund", "arnaque !!", "bonjour, horaires ?", "worst service ever"]
    ids = store.ingest(
        "test",
        [make_message(kind=rng.choice(kinds), text=rng.choice(texts)) for _ in range(300)],
    ).new_ids
    for _ in range(400):
        pick = rng.sample(ids, rng.randint(1, 5))
        action = rng.randrange(5)
        if action == 0:
            store.set_status(pick, rng.choice(["open", "done"]))
        elif action == 1:
            store.set_status(pick, "snoozed", snooze_until=NOW + rng.randint(-100, 100))
        elif action == 2:
            store.set_starred(pick, rng.random() < 0.5)
        elif action == 3:
            store.set_complaint_override(pick, rng.choice([True, False, None]))
        else:
            store.wake_snoozed(NOW)
    workspace = store.workspaces()[0].id
    assert store.folder_counts(workspace) == recount(store, workspace)


def _fts_is_exact(store: Store) -> bool:
    """FTS5's own check that the index holds exactly the messages table's text (rank 1: against
    the external content)."""
    try:
        store.conn.execute("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


def test_each_batch_is_counted_and_indexed_once_whatever_it_holds(store):
    """Counts and the full-text index are added per batch (not per row): new rows, re-fetched
    ones, cross-source duplicates and rejects in the same batches, in two workspaces."""
    store.ensure_workspace("other", "Other brand", 30)
    store.register_source("second", "other", "test", "other brand's source")
    store.register_source("mirror", "brand", "test", "same brand, second source")
    rng = random.Random(11)
    kinds = ["comment", "dm", "mention", "review"]
    texts = ["merci c'est top", "still waiting for my refund", "arnaque !!", "horaires dimanche ?", "worst service ever"]
    sent: list = []
    for round_ in range(6):
        batch = [make_message(kind=rng.choice(kinds), text=f"{rng.choice(texts)} {round_}") for _ in range(rng.randint(1, 40))]
        batch += [make_message(native_id=m.native_id, kind=m.kind, text=m.text + " (edited)", url=m.url) for m in rng.sample(sent, min(5, len(sent)))]
        batch.append(make_message(text="", created_at=float("nan")))  # rejected, counted nowhere
        store.ingest("test", batch)
        sent += batch[:-1]
        store.ingest("mirror", [make_message(url=m.url, uri=m.url) for m in batch[:3]])
        store.ingest("second", [make_message(kind=rng.choice(kinds)) for _ in range(rng.randint(1, 10))])
        store.set_status(rng.sample(range(1, 20), 3), "done")
    for workspace in store.workspaces():
        assert store.folder_counts(workspace.id) == recount(store, workspace.id)
    assert _fts_is_exact(store)
    assert store.search_ids(1, "edited")[0]  # a refreshed text is searchable by its new words
    store.conn.execute("DELETE FROM messages_fts WHERE rowid = 1")  # the check can fail
    assert not _fts_is_exact(store)


def test_a_database_from_before_batch_counting_keeps_exact_counts(tmp_path):
    """Migration 7 drops the per-row insert triggers: rows counted by them and rows counted per
    batch add up, and both are searchable."""
    from sqlite_utils import Database

    from cminbox.store import schema

    path = tmp_path / "v6.db"
    conn = sqlite3.connect(path)
    schema.migrations.apply(Database(conn, execute_plugins=False), stop_before="m007_count_and_index_per_batch")
    conn.execute("INSERT INTO workspaces (slug, name) VALUES ('brand', 'Brand')")
    conn.execute("INSERT INTO sources (key, workspace_id, type, label) VALUES ('test', 1, 'test', 'test')")
    for native_id, kind, text, complaint in (("a", "dm", "toujours pas reçu", 1), ("b", "mention", "bravo", 0)):
        conn.execute(
            """INSERT INTO messages (source_id, workspace_id, native_id, network, kind, text, created_at, fetched_at, complaint_auto)
               VALUES (1, 1, ?, 'x', ?, ?, 1.7e9, 1.7e9, ?)""",
            (native_id, kind, text, complaint),
        )
    conn.execute("PRAGMA user_version = 6")
    conn.commit()
    assert conn.execute("SELECT n FROM folder_counts WHERE folder = 'all'").fetchone() == (2,)  # the old triggers counted
    conn.close()
    store = Store(path)  # opening migrates
    assert store.conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'messages_%_ai'").fetchone()[0] == 0
    store.ingest("test", [make_message(kind="dm", text="still waiting for my refund"), make_message(text="parfait")])
    assert store.folder_counts(1) == recount(store, 1)
    assert store.folder_counts(1)["dms"] == 2
    assert _fts_is_exact(store)
    assert len(store.search_ids(1, "bravo")[0]) == len(store.search_ids(1, "parfait")[0]) == 1
    store.close()


def test_the_full_text_index_merges_less_often_and_stays_exact(tmp_path):
    """Migration 10: segments of a level are merged at 16, not 4, in new and older databases;
    every message stays findable."""
    path = tmp_path / "v9.db"
    conn = database_before(path, "m010_fewer_full_text_merges")
    conn.commit()
    conn.close()
    store = Store(path)  # opening migrates
    assert store.conn.execute("SELECT v FROM messages_fts_config WHERE k = 'automerge'").fetchone() == (16,)
    store.ensure_workspace("brand", "Brand", 60)
    store.register_source("test", "brand", "test", "test")
    for round_ in range(20):  # a segment per batch: past 16 of them, some are merged
        store.ingest("test", [make_message(text=f"colis perdu {round_} {i}") for i in range(5)])
    assert _fts_is_exact(store)
    assert len(store.search_ids(1, "colis")[0]) == 100
    store.close()


def test_the_full_text_index_merges_bit_by_bit_and_stays_exact(tmp_path):
    """Migration 12: a level's segments are merged a little after each write (the all-at-once
    merge only past 64 of them); after more writes than that, every message is still found."""
    path = tmp_path / "v11.db"
    conn = database_before(path, "m012_full_text_merges_bit_by_bit")
    conn.commit()
    conn.close()
    store = Store(path)  # opening migrates
    config = dict(store.conn.execute("SELECT k, v FROM messages_fts_config"))
    assert (config["automerge"], config["crisismerge"]) == (16, 64)
    store.ensure_workspace("brand", "Brand", 60)
    store.register_source("test", "brand", "test", "test")
    for round_ in range(80):  # a segment per batch
        store.ingest("test", [make_message(text=f"colis perdu {round_} {i}") for i in range(3)])
    assert _fts_is_exact(store)
    assert len(store.search_ids(1, "colis")[0]) == 240
    assert len(store.search_ids(1, '"perdu 79"')[0]) == 3
    store.close()


def test_author_history_walks_only_the_days_that_have_messages(store):
    """A stray date (a message dated 2001 among this year's) adds one day to the walk, not the
    nine thousand in between: counted in SQLite's instructions, not in time."""
    stray = make_message(native_id="old", author_handle="@julie", network="x", created_at=978_307_200.0)  # 2001-01-01
    recent = [make_message(native_id=f"r{i}", author_handle="@julie", network="x", created_at=NOW - i * 86_400) for i in range(5)]
    store.ingest("test", [stray, *recent])
    newest = store.message(store.conn.execute("SELECT id FROM messages WHERE native_id = 'r0'").fetchone()[0])
    steps = []
    store.conn.set_progress_handler(lambda: steps.append(1), 100)  # called every 100 instructions
    try:
        assert store.author_history(newest) == 5
    finally:
        store.conn.set_progress_handler(None, 0)
    assert len(steps) < 50, f"{len(steps) * 100} instructions"  # (3 here; walking every day: 2,819)


def test_an_older_database_gets_the_author_index_by_day_and_keeps_its_history(tmp_path):
    """Migration 11: a version-10 inbox's messages are in the new author index at once; the
    author's history and today's repeat contacts read them."""
    path = tmp_path / "v10.db"
    conn = database_before(path, "m011_author_index_by_day")
    conn.execute("INSERT INTO workspaces (slug, name) VALUES ('brand', 'Brand')")
    conn.execute("INSERT INTO sources (key, workspace_id, type, label) VALUES ('test', 1, 'test', 'test')")
    for native_id, created in (("a", NOW - 86_400 * 30), ("b", NOW - 3600)):
        conn.execute(
            """INSERT INTO messages (source_id, workspace_id, native_id, network, kind, author_handle, text, created_at, fetched_at)
               VALUES (1, 1, ?, 'x', 'dm', '@julie', 'toujours pas reçu', ?, ?)""",
            (native_id, created, created),
        )
    conn.commit()
    conn.close()
    store = Store(path)  # opening migrates
    assert store.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'messages_by_author'").fetchone() == (0,)
    [new] = store.ingest("test", [make_message(native_id="c", network="x", author_handle="@julie", created_at=NOW)]).new_ids
    assert store.author_history(store.message(new)) == 2
    assert "2nd message from this person today" in store.message(new).reason
    store.close()


def test_folder_ids_newest_first_and_bounded(store):
    ids = store.ingest("test", [make_message(created_at=NOW - i * 60) for i in range(10)]).new_ids
    listed, created = store.folder_ids(1, "all")
    assert list(listed) == ids  # created newest first, in insertion order here
    assert list(created) == sorted(created, reverse=True)
    page, _ = store.folder_ids(1, "all", limit=3)
    assert list(page) == ids[:3]
    later, _ = store.folder_ids(1, "all", after_id=ids[4], upto_id=ids[7])
    assert sorted(later) == ids[5:8]


def test_wake_snoozed_brings_items_back_unread(store):
    [a, b] = store.ingest("test", [make_message(), make_message()]).new_ids
    store.set_unread([a, b], False)
    store.set_status([a], "snoozed", snooze_until=NOW - 1)
    store.set_status([b], "snoozed", snooze_until=NOW + 3600)
    assert store.wake_snoozed(NOW) == [a]
    assert store.message(a).status == "open" and store.message(a).unread
    assert store.message(b).status == "snoozed"


def test_wake_snoozed_waits_for_no_lock_when_nothing_is_due(tmp_path, monkeypatch):
    """The app looks every second while a sync or an import in another process may hold the
    write lock: with nothing due, the look needs no lock; with something due, it waits for the
    lock like any change, and says why when it cannot have it."""
    import cminbox.store.db as db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    store = Store(tmp_path / "snooze.db")
    store.ensure_workspace("brand", "Brand & Co", 60)
    store.register_source("test", "brand", "test", "test source")
    [a] = store.ingest("test", [make_message()]).new_ids
    store.set_status([a], "snoozed", snooze_until=NOW + 3600)
    holder = sqlite3.connect(tmp_path / "snooze.db")
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert store.wake_snoozed(NOW) == []
        with pytest.raises(StoreError, match="locked"):
            store.wake_snoozed(NOW + 7200)
    finally:
        holder.rollback()
        holder.close()
    assert store.message(a).status == "snoozed"  # nothing half-done
    assert store.wake_snoozed(NOW + 7200) == [a]
    store.close()


def test_snapshot_and_restore_undo_a_change(store):
    [a] = store.ingest("test", [make_message()]).new_ids
    snap = store.snapshot([a])
    store.set_status([a], "done")
    store.set_starred([a], True)
    store.restore(snap)
    row = store.message(a)
    assert (row.status, row.starred) == ("open", False)
    # Read meanwhile: undoing a verdict leaves it read; undoing "mark unread" puts the mark back.
    before = store.snapshot([a])
    store.set_complaint_override([a], True)
    store.set_unread([a], False)
    store.restore(before, unread=False)
    assert store.message(a).complaint_override is None and not store.message(a).unread
    store.restore(before)
    assert store.message(a).unread


def test_thread_and_author_history(store):
    post = make_message(native_id="p1", kind="comment", text="first comment", thread_id="post9", created_at=NOW - 300,
                        author_handle="@julie")
    reply = make_message(native_id="p2", kind="comment", text="a reply", thread_id="post9", parent_id="p1",
                         created_at=NOW - 200, author_handle="@marc")
    later = make_message(native_id="p3", kind="dm", text="still nothing", created_at=NOW - 100, author_handle="@julie",
                         network="x")
    store.ingest("test", [post, reply, later])
    reply_row = store.message(store.conn.execute("SELECT id FROM messages WHERE native_id = 'p2'").fetchone()[0])
    assert [m.native_id for m in store.thread(reply_row)] == ["p1"]
    later_row = store.message(store.conn.execute("SELECT id FROM messages WHERE native_id = 'p3'").fetchone()[0])
    assert store.author_history(later_row) == 1


@pytest.mark.parametrize("nobody", ["Anonyme", "A Google User", "anonymous"])
def test_reviewers_who_did_not_sign_are_not_one_person(store, nobody):
    # Review feeds name whoever did not sign "Anonyme": they were one repeat customer (+10 in the
    # triage, "2nd message from this person today") and "1 earlier message" in the detail pane.
    signed = [make_message(native_id=f"s{n}", network="google", kind="review", text="Colis jamais reçu, remboursez-moi",
                           created_at=NOW - 300 + n, author_name="Julie Martin", author_handle="") for n in range(2)]
    unsigned = [make_message(native_id=f"a{n}", network="google", kind="review", text="Colis jamais reçu, remboursez-moi",
                             created_at=NOW - 200 + n, author_name=nobody, author_handle="") for n in range(2)]
    store.ingest("test", signed + unsigned)
    row = {native: store.message(mid) for mid, native in store.conn.execute("SELECT id, native_id FROM messages")}
    assert store.author_history(row["s1"]) == 1 and "2nd message from this person today" in row["s1"].reason
    assert store.author_history(row["a1"]) == 0 and "from this person" not in row["a1"].reason


def test_triage_orders_open_complaints_by_urgency(store):
    calm = make_message(text="where is my order? still waiting", kind="mention", created_at=NOW - 600, author_reach=10)
    angry_dm = make_message(text="ARNAQUE, je veux être remboursé, honteux", kind="dm", created_at=NOW - 300, author_reach=20000)
    praise = make_message(text="merci, la brioche était parfaite", created_at=NOW - 900)
    ids = store.ingest("test", [calm, angry_dm, praise]).new_ids
    order = [r.id for r in store.triage(1)]
    assert order == [ids[1], ids[0]]
    store.set_status([ids[1]], "done")
    assert [r.id for r in store.triage(1)] == [ids[0]]


def test_a_complaint_whose_reply_went_out_leaves_the_triage_order(store):
    from cminbox.store import QueuedReply

    late = make_message(text="toujours pas reçu ma commande, remboursez-moi", created_at=NOW - 7200)
    [mid] = store.ingest("test", [late]).new_ids
    [item] = store.queue_replies([QueuedReply(mid, "Bonjour, on regarde tout de suite.")], now=NOW)
    assert [r.id for r in store.triage(1)] == [mid]  # queued is not answered yet
    store.claim(item, now=NOW)
    store.finish_sent(item, native_id="r1", url=None, now=NOW)
    assert store.triage(1) == []  # answered: its response clock has stopped
    assert store.folder_ids(1, "complaints")[0].tolist() == [mid]  # still open, in Complaints, until done


# -- search ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ['"', "AND", "OR NOT", "NEAR(a b)", "a*", "*", ":", "text:foo", "(", ")", "'", "^x", "{a b}", "-", "--x", "\x00",
     "é\"è", "col : x", "a AND (b", "🙃", "x" * 5000, "from:", "from:\"", "-\"a\""],
)
def test_any_typed_query_is_safe(store, typed):
    store.ingest("test", [make_message(text="AND OR NEAR text: a* (b) 🙃")])
    ids, _ = store.search_ids(1, typed)  # must not raise
    assert ids is not None


def test_search_is_accent_and_case_insensitive_with_prefix(store):
    [a, b] = store.ingest("test", [make_message(text="Commande toujours pas REÇUE"), make_message(text="merci")]).new_ids
    assert list(store.search_ids(1, "recue")[0]) == [a]
    assert list(store.search_ids(1, "comm")[0]) == [a]  # last word is a prefix while typing
    assert list(store.search_ids(1, "comm ")[0]) == []  # a finished word is a whole word
    assert list(store.search_ids(1, "-merci commande")[0]) == [a]


def test_search_phrases_exclusions_and_authors(store):
    [a, b, c] = store.ingest(
        "test",
        [
            make_message(text="charged twice for one order", author_name="Julie Martin"),
            make_message(text="twice charged? no, once", author_name="Marc"),
            make_message(text="one order charged", author_name="Julie Martin"),
        ],
    ).new_ids
    assert list(store.search_ids(1, '"charged twice"')[0]) == [a]
    assert sorted(store.search_ids(1, "charged -twice")[0]) == [c]
    assert sorted(store.search_ids(1, "from:julie")[0]) == [a, c]


def test_search_finds_oe_and_the_ligature_either_way(store):
    [a, b, c] = store.ingest(
        "test",
        [
            make_message(text="Il y a des œufs dans la baguette ?"),
            make_message(text="mon coeur balance entre le flan et le Cœur coulant"),
            make_message(text="a poem about bread"),
        ],
    ).new_ids
    assert list(store.search_ids(1, "oeufs")[0]) == [a]
    assert list(store.search_ids(1, "œufs")[0]) == [a]
    assert list(store.search_ids(1, "coeur")[0]) == [b]
    assert list(store.search_ids(1, "cœ")[0]) == [b]  # the last word is a prefix either way
    assert list(store.search_ids(1, '"le coeur coulant"')[0]) == [b]
    assert list(store.search_ids(1, "baguette -oeufs")[0]) == []
    assert list(store.search_ids(1, "poem")[0]) == [c]


def test_search_lists_hits_in_the_message_before_hits_only_in_the_post_it_answers(store):
    [says_it, under_post, also_says_it] = store.ingest(
        "test",
        [
            make_message(text="toujours pas reçu ma commande"),
            make_message(text="haha oui", kind="comment", title="Commande en 2 clics sur l'appli"),
            make_message(text="commande arrivée, merci"),
        ],
    ).new_ids
    # (make_message dates each message a minute before the one made before it)
    assert list(store.search_ids(1, "commande")[0]) == [says_it, also_says_it, under_post]
    assert list(store.search_ids(1, "commande", limit=2)[0]) == [also_says_it, says_it]  # a page cut short: last stored first
    assert list(store.search_ids(1, "commande", limit=50)[0]) == [says_it, also_says_it, under_post]
    assert list(store.search_ids(1, "commande -merci")[0]) == [says_it, under_post]


def test_search_lists_an_imported_history_by_date_not_by_when_it_was_stored(store):
    # An import of last year's messages is stored after this morning's: by storage order they
    # came first. A complete list of hits is newest first by date (ties: last stored first).
    [today, yesterday] = store.ingest("test", [
        make_message(text="commande reçue", created_at=NOW - 3600),
        make_message(text="commande en retard", created_at=NOW - 86_400),
    ]).new_ids
    [last_year, last_month] = store.ingest("test", [
        make_message(text="commande perdue", created_at=NOW - 365 * 86_400),
        make_message(text="commande annulée", created_at=NOW - 30 * 86_400),
    ]).new_ids
    newest_first = [today, yesterday, last_month, last_year]
    assert list(store.search_ids(1, "commande")[0]) == newest_first
    assert list(store.search_ids(1, "commande", limit=50)[0]) == newest_first  # a first page that holds them all
    ids, created = store.search_ids(1, "commande")
    assert list(created) == sorted(created, reverse=True)


def test_fts_query_quotes_everything():
    assert fts_query("refund NEAR") == '"refund" AND "NEAR"*'
    assert fts_query('say "hi there"') == '"say" AND "hi there"'
    assert fts_query("   ") is None
    assert fts_query("-only") is None


def test_search_uses_rowid_order_not_a_sort(store):
    plan = " ".join(
        r[3]
        for r in store.conn.execute(
            """EXPLAIN QUERY PLAN SELECT m.id, m.created_at FROM messages_fts f JOIN messages m ON m.id = f.rowid
               WHERE messages_fts MATCH '"x"' AND m.workspace_id = 1 ORDER BY f.rowid DESC LIMIT 50"""
        )
    )
    assert "TEMP B-TREE" not in plan


@pytest.mark.parametrize("folder", [f.key for f in FOLDERS])
def test_folder_lists_use_an_index_not_a_scan(store, folder):
    where = next(f for f in FOLDERS if f.key == folder).where()
    plan = " ".join(
        r[3]
        for r in store.conn.execute(
            f"EXPLAIN QUERY PLAN SELECT id, created_at FROM messages WHERE workspace_id = 1 AND {where} "
            "ORDER BY created_at DESC, id DESC LIMIT 300"
        )
    )
    assert "INDEX" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # no sort of the whole folder


def _plans(conn, statements) -> list[str]:
    return [" ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql)) for sql in statements]


def test_repeat_contacts_look_up_each_author_by_day_in_the_author_index(store):
    """The repeat-contact lookup reads the authors' messages of the days in question: a seek per
    day and author in the index kept by day, not every message an author ever sent (that cost
    grew with the inbox) nor a scan of a day's messages."""
    from cminbox.hours import ALWAYS_OPEN
    from cminbox.store.scoring import RepeatCounter

    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        items = [(1, "n1", "x", "@a", "A", NOW), (1, "n2", "x", "@b", "B", NOW + 1), (1, "n3", "x", "", "Bob", NOW)]
        RepeatCounter(store.conn, 1, ALWAYS_OPEN, items)
    finally:
        store.conn.set_trace_callback(None)
    lookups = [sql for sql in statements if "FROM messages" in sql]
    assert len(lookups) == 2  # the handles together, the author known by name alone
    for plan in _plans(store.conn, lookups):
        assert "messages_by_author_day (workspace_id=? AND created_day=? AND network=? AND author_handle=?)" in plan, plan


def test_author_history_counts_earlier_messages_over_many_days_by_index(store):
    """An author's history is counted across every day of the inbox, exactly as a scan would,
    with one seek per day in the author index (never a scan of the messages)."""
    day = 86_400
    julie = [make_message(native_id=f"j{i}", author_handle="@julie", network="x", created_at=NOW - i * 7 * day - 3600 * i)
             for i in range(40)]  # fmt: skip
    others = [
        make_message(native_id="o1", author_handle="@julie", network="mastodon", created_at=NOW - day),  # other network
        make_message(native_id="o2", author_handle="@marc", network="x", created_at=NOW - 2 * day),
        make_message(native_id="o3", author_handle="", author_name="Bob", network="x", created_at=NOW - 3 * day),
        make_message(native_id="o4", author_handle="", author_name="Bob", network="x", created_at=NOW - 100 * day),
        make_message(native_id="o5", author_handle="", author_name="Bob", network="x", created_at=NOW),
        make_message(native_id="o6", author_handle="", author_name="Bob", network="x", created_at=NOW - 60),  # same day
    ]
    store.ingest("test", julie + others)

    def by_native(native: str):
        return store.message(store.conn.execute("SELECT id FROM messages WHERE native_id = ?", (native,)).fetchone()[0])

    assert store.author_history(by_native("j0")) == 39  # the newest of 40, the oldest 280 days back
    assert store.author_history(by_native("j10")) == 29
    assert store.author_history(by_native("j38")) == 1  # the inbox's first day counts
    assert store.author_history(by_native("j39")) == 0
    assert store.author_history(by_native("o1")) == 0
    assert store.author_history(by_native("o5")) == 3  # known by name only; one earlier the same day

    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        store.author_history(by_native("j0"))
    finally:
        store.conn.set_trace_callback(None)
    [plan] = _plans(store.conn, [sql for sql in statements if "count(*)" in sql])
    assert "messages_by_author_day (workspace_id=? AND created_day=? AND network=? AND author_handle=? AND created_at<?)" in plan, plan
    assert "SCAN messages" not in plan, plan


# -- bad databases -----------------------------------------------------------------------


def test_corrupt_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="damaged or is not a cminbox database"):
        Store(path)


def test_locked_database_gives_a_clear_error(tmp_path, monkeypatch):
    import cminbox.store.db as db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "locked.db"
    Store(path).close()
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked"):
            Store(path).ensure_workspace("x", "X")
    finally:
        holder.rollback()
        holder.close()


def test_store_opens_read_only_reader(store):
    store.ingest("test", [make_message()])
    reader = store.reader()
    try:
        assert len(reader.folder_ids(1, "all")[0]) == 1
        with pytest.raises(sqlite3.OperationalError):
            reader.conn.execute("DELETE FROM messages")
    finally:
        reader.close()


def test_incoming_check_accepts_a_plain_message():
    Incoming(native_id="1", network="x", kind="dm", text="", created_at=NOW).check()


def test_schema_version_matches_the_migrations(tmp_path):
    from sqlite_utils import Database

    from cminbox.store import db, schema

    store = Store(tmp_path / "v.db")
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
    assert schema.migrations.pending(Database(store.conn)) == []
    assert len(schema.migrations.applied(Database(store.conn))) == db.SCHEMA_VERSION
    store.close()


def test_first_page_of_a_prefix_search_prefers_whole_words_and_the_full_list_has_both(store):
    whole = store.ingest("test", [make_message(text=f"commande {i}") for i in range(3)]).new_ids
    longer = store.ingest("test", [make_message(text="commandes groupées")]).new_ids
    page, _ = store.search_ids(1, "commande", limit=3)
    assert sorted(page) == sorted(whole)  # three whole-word hits fill the page
    full, _ = store.search_ids(1, "commande")
    assert sorted(full) == sorted(whole + longer)
    page, _ = store.search_ids(1, "commandes", limit=3)
    assert list(page) == longer  # too few whole-word hits: the prefix query runs


def test_source_notices_are_shared_by_every_store_on_the_file_and_cleared_with_nothing(store, tmp_path):
    store.register_source("x", "brand", "x", "X · @BriocheAndCo")
    store.set_source_notices("x", ["X · @BriocheAndCo: mentions not read: the X free tier does not include it",
                                   "\x1b[31mdms\nnot read\x07", ""])
    # The app reads through its own Store while the engine writes through another.
    with Store(tmp_path / "test.db") as other, Store(tmp_path / "test.db", readonly=True, migrate=False) as reader:
        for seen in (other, reader):
            notices = {h.key: h.notices for h in seen.sources()}["x"]
            assert notices == ("X · @BriocheAndCo: mentions not read: the X free tier does not include it",
                               "[31mdms not read")  # one clean line each, no escape reaches the screen
        other.set_source_notices("x", ())
    assert {h.key: h.notices for h in store.sources()}["x"] == ()
    assert {h.key: h.notices for h in store.sources()}["test"] == ()


def test_source_notices_belong_to_their_own_database(store, tmp_path):
    store.set_source_notices("test", ["search not read"])
    with Store(tmp_path / "another.db") as elsewhere, Store(":memory:") as memory, Store(":memory:") as memory2:
        for other in (elsewhere, memory):
            other.ensure_workspace("brand", "Brand & Co")
            other.register_source("test", "brand", "rss", "test")
        memory.set_source_notices("test", ["in memory"])
        assert [h.notices for h in elsewhere.sources()] == [()]
        assert [h.notices for h in memory.sources()] == [("in memory",)]
        assert memory2.notices == {}
    assert [h.notices for h in store.sources()] == [("search not read",)]


def test_missing_values_are_stored_as_null(store):
    """None columns are bound through a registered adapter (for speed): they must stay NULL."""
    [mid] = store.ingest("test", [make_message(title=None, parent_id=None, thread_id=None, rating=None)]).new_ids
    row = store.conn.execute(
        "SELECT title IS NULL, parent_id IS NULL, thread_id IS NULL, rating IS NULL, typeof(title) FROM messages WHERE id = ?",
        (mid,),
    ).fetchone()
    assert row == (1, 1, 1, 1, "null")


def test_the_praise_folder_holds_happy_customers_to_thank_and_follows_every_change(store):
    glad, plain, spam, asking = store.ingest(
        "test",
        [
            make_message(text="La brioche de ce matin était incroyable, merci à toute l'équipe ❤️"),
            make_message(text="Vous ouvrez à quelle heure dimanche ?"),
            make_message(text="Je gagne 300€/jour grâce au trading, DM moi pour la méthode 🚀💰"),
            make_message(text="Hello!! Where do I find my loyalty points in the new app? Cheers"),
        ],
    ).new_ids
    assert store.message(glad).praise and store.message(spam).spam and store.message(asking).question

    def praise() -> set[int]:
        counts = store.folder_counts(1)
        assert counts == recount(store, 1)
        ids, _ = store.folder_ids(1, "praise")
        assert counts["praise"] == len(ids)
        return set(ids)

    assert praise() == {glad}
    store.set_sentiment_override([plain], "positive")  # the CM says this one is glad too
    assert praise() == {glad, plain}
    store.set_sentiment_override([glad], "neutral")  # ...and this one is not
    assert praise() == {plain}
    store.set_sentiment_override([glad], None)  # back to the scorer
    store.set_complaint_override([plain], True)  # a complaint is answered, not thanked
    assert praise() == {glad}
    store.set_sentiment_override([spam], "positive")  # spam never is
    assert praise() == {glad}
    store.mark_done([glad])  # thanked
    assert praise() == set()


def test_the_praise_folder_reads_its_own_index(store):
    where = next(f for f in FOLDERS if f.key == "praise").where()
    plan = " ".join(
        r[3]
        for r in store.conn.execute(
            f"EXPLAIN QUERY PLAN SELECT id, created_at FROM messages WHERE workspace_id = 1 AND {where} "
            "ORDER BY created_at DESC, id DESC"
        )
    )
    assert "messages_to_thank" in plan and "TEMP B-TREE" not in plan, plan


def test_a_database_from_before_the_praise_folder_counts_it_on_upgrade(tmp_path):
    path = tmp_path / "old.db"
    conn = database_before(path, "m013_praise_folder")
    conn.execute("INSERT INTO workspaces (id, slug, name) VALUES (1, 'brand', 'Brand')")
    conn.execute("INSERT INTO sources (id, key, workspace_id, type, label) VALUES (1, 'test', 1, 'test', 'test')")
    for n, (praise, status) in enumerate([(1, "open"), (1, "open"), (1, "done"), (0, "open")]):
        conn.execute(
            """INSERT INTO messages (source_id, workspace_id, native_id, network, kind, text, created_at,
               fetched_at, praise, status) VALUES (1, 1, ?, 'x', 'mention', 'merci !', ?, ?, ?, ?)""",
            (f"old{n}", NOW - n, NOW, praise, status),
        )
    conn.commit()
    conn.close()
    upgraded = Store(path)  # opening migrates
    assert upgraded.folder_counts(1)["praise"] == 2 == len(upgraded.folder_ids(1, "praise")[0])
    [new] = upgraded.ingest("test", [make_message(text="Service au top, merci beaucoup pour votre aide 🙏")]).new_ids
    # (The raw rows above were never counted in the other folders: only Praise is compared.)
    assert upgraded.folder_counts(1)["praise"] == recount(upgraded, 1)["praise"] == 3
    assert upgraded.in_folder([new], "praise") == {new}
    upgraded.close()
