"""Corrections: every verdict is kept per workspace, changes later scores, and travels as JSONL."""

from __future__ import annotations

import json
import sqlite3

import pytest

from cminbox.store import Store
from conftest import NOW, make_message


def _id(store: Store, native_id: str) -> int:
    return store.conn.execute("SELECT id FROM messages WHERE native_id = ?", (native_id,)).fetchone()[0]


def _corrections(store: Store) -> list[tuple]:
    return store.conn.execute("SELECT message_id, complaint, sentiment FROM corrections ORDER BY id").fetchall()


def test_a_verdict_is_stored_as_a_correction_and_follows_undo(store):
    [mid] = store.ingest("test", [make_message(native_id="a", text="La box du dimanche est arrivée sans la brioche")]).new_ids
    before = store.snapshot([mid])
    store.set_complaint_override([mid], True)
    assert _corrections(store) == [(mid, 1, None)]
    store.set_sentiment_override([mid], "negative")
    assert _corrections(store) == [(mid, 1, "negative")]
    assert store.list_rows([mid])[mid].sentiment == -1.0  # the verdict wins in the list
    store.restore(before)  # undo: the verdicts are gone, and so are the corrections
    assert _corrections(store) == []
    store.set_complaint_override([mid], False)
    store.set_complaint_override([mid], None)  # "let the scorer decide"
    assert _corrections(store) == []
    with pytest.raises(ValueError):
        store.set_sentiment_override([mid], "furious")


def test_a_correction_changes_how_similar_later_messages_score(store):
    first = make_message(native_id="a", text="Ma Box du dimanche est arrivée sans la brioche", author_handle="@julie")
    [mid] = store.ingest("test", [first]).new_ids
    similar = "Box du dimanche arrivée sans la brioche, encore"
    before = store.ingest("test", [make_message(native_id="probe1", text=similar, author_handle="@marc")]).new_ids
    score_before = store.message(before[0]).complaint_score
    store.set_complaint_override([mid], True)
    after = store.ingest("test", [make_message(native_id="probe2", text=similar, author_handle="@lea")]).new_ids
    message = store.message(after[0])
    assert message.complaint and message.complaint_score > score_before + 0.3
    assert "like a message you marked" in message.reason


def test_a_not_a_complaint_verdict_teaches_too(store):
    ids = store.ingest("test", [make_message(native_id="t1", text="Vos croissants c'est du carton lol 💀", author_handle="@troll")]).new_ids
    store.set_complaint_override(ids, False)
    store.set_sentiment_override(ids, "neutral")
    later = store.ingest("test", [make_message(native_id="t2", text="vos croissants c'est du carton mdr 💀", author_handle="@other")]).new_ids
    message = store.message(later[0])
    assert not message.complaint and message.complaint_score < 0.2
    assert -0.05 < message.sentiment < 0.05


def test_the_same_authors_next_messages_lean_the_way_they_were_judged(store):
    judged = [make_message(native_id=f"j{i}", text=text, author_handle="@regular", network="x")
              for i, text in enumerate(["Encore en retard mon café ce matin haha", "Toujours la queue à 8h, vous êtes victimes de votre succès"])]  # fmt: skip
    ids = store.ingest("test", judged).new_ids
    store.set_complaint_override(ids, False)
    text = "Bon, on attend encore un peu ce matin"
    other = store.message(store.ingest("test", [make_message(native_id="n1", text=text, author_handle="@stranger", network="x")]).new_ids[0])
    same = store.message(store.ingest("test", [make_message(native_id="n2", text=text, author_handle="@regular", network="x")]).new_ids[0])
    assert same.complaint_score < other.complaint_score
    assert "this author's earlier messages" in same.reason


def test_open_similar_messages_are_scored_again_at_once(store):
    texts = ["Ma Box du dimanche est arrivée sans la brioche", "Box du dimanche arrivée sans la brioche, encore",
             "Merci pour le flan, un délice"]  # fmt: skip
    ids = store.ingest("test", [make_message(native_id=f"r{i}", text=t, created_at=NOW - 100 + i) for i, t in enumerate(texts)]).new_ids
    assert not store.message(ids[1]).complaint
    store.set_complaint_override([ids[0]], True)
    changed = store.rescore_similar([ids[0]], now=NOW)
    assert ids[1] in changed and store.message(ids[1]).complaint
    assert not store.message(ids[2]).complaint
    assert store.message(ids[0]).complaint_override is True  # the verdict itself is untouched


def test_corrections_export_and_import_between_databases(store, tmp_path):
    ids = store.ingest("test", [make_message(native_id="e1", text="La box du dimanche est arrivée sans la brioche"),
                                make_message(native_id="e2", text="Vos croissants c'est du carton lol")]).new_ids  # fmt: skip
    store.set_complaint_override([ids[0]], True)
    store.set_complaint_override([ids[1]], False)
    store.set_sentiment_override([ids[1]], "neutral")
    lines = [json.dumps(row) for row in store.export_corrections(1)]
    assert [json.loads(line)["complaint"] for line in lines] == [True, False]

    other = Store(tmp_path / "other.db")
    other.ensure_workspace("brand", "Brand & Co", 60)
    other.register_source("test", "brand", "test", "test source")
    result = other.import_corrections(1, lines + ["not json", json.dumps({"text": "x"}), ""])
    assert (result.added, result.updated) == (2, 0)
    assert [n for n, _ in result.rejected] == [3, 4]
    again = other.import_corrections(1, lines)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)  # importing twice lands once
    flipped = json.loads(lines[1]) | {"sentiment": "negative"}
    changed = other.import_corrections(1, [json.dumps(flipped)])
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 0)  # a verdict that changed
    probe = other.ingest("test", [make_message(native_id="p", text="box du dimanche arrivée sans la brioche !!")]).new_ids
    assert other.message(probe[0]).complaint
    other.close()


def test_corrections_belong_to_their_workspace(store):
    store.ensure_workspace("other", "Other brand", 60)
    store.register_source("other-feed", "other", "test", "other")
    ids = store.ingest("test", [make_message(native_id="w1", text="La box du dimanche est arrivée sans la brioche")]).new_ids
    store.set_complaint_override(ids, True)
    probe = store.ingest("other-feed", [make_message(native_id="w2", text="La box du dimanche est arrivée sans la brioche !")]).new_ids
    assert "like a message you marked" not in store.message(probe[0]).reason
    assert store.corrections_count(1) == 1 and store.corrections_count(2) == 0


def test_a_database_from_before_issue_6_is_upgraded_keeping_its_rows(tmp_path):
    """A database as main's schema version 5 left it (migrations 1-5: identity, platform rules,
    outbox with reply kinds), with messages, a draft and a failed reply, opens as version 6."""
    from sqlite_utils import Database

    from cminbox.store import db as store_db
    from cminbox.store import schema

    path = tmp_path / "v5.db"
    conn = sqlite3.connect(path)
    schema.migrations.apply(Database(conn, execute_plugins=False), stop_before="m006_triage_labels_corrections_buzz")
    assert len(schema.migrations.applied(Database(conn, execute_plugins=False))) == 5
    conn.execute("INSERT INTO workspaces (slug, name) VALUES ('b', 'B')")
    conn.execute("INSERT INTO sources (key, workspace_id, type, label) VALUES ('s', 1, 't', 't')")
    for native_id, kind, complaint in (("n1", "dm", 1), ("n2", "comment", 0)):
        conn.execute(
            """INSERT INTO messages (source_id, workspace_id, native_id, network, kind, text, created_at, fetched_at,
               sentiment, complaint_auto, cues, weight, urgency, reason, complaint_override)
               VALUES (1, 1, ?, 'x', ?, 'old text', 1, 1, -0.5, ?, 'refund', 30, -1799, 'old reason', NULL)""",
            (native_id, kind, complaint),
        )
    conn.execute(
        """INSERT INTO outbox (message_id, text, state, idem_key, created_at, updated_at, reply_kind)
           VALUES (2, 'sorry!', 'failed', 'k1', 1, 1, 'private')"""
    )
    conn.execute("UPDATE messages SET reply_state = 'failed' WHERE id = 2")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()

    store = Store(path)  # opening migrates
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == store_db.SCHEMA_VERSION
    message = store.message(1)
    assert (message.text, message.sentiment, message.complaint_auto, message.complaint_override, message.reason) == (
        "old text", -0.5, True, None, "old reason")  # fmt: skip
    assert (message.question, message.spam, message.sentiment_override, message.facts) == (False, False, None, "[]")
    counts = store.folder_counts(1)
    assert (counts["all"], counts["complaints"], counts["dms"], counts["outbox"]) == (2, 1, 1, 1)
    assert store.conn.execute("SELECT reply_kind, state FROM outbox").fetchall() == [("private", "failed")]
    # The new tables work on the upgraded file: a verdict is a correction, and counts follow it.
    store.set_complaint_override([2], True)
    assert _corrections(store) == [(2, 1, None)]
    assert store.folder_counts(1)["complaints"] == 2
    store.close()
