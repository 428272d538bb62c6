"""A message two sources bring is stored once per workspace: the uri is its identity."""

from __future__ import annotations

from cminbox.store import Store
from cminbox.store.identity import uri_key
from conftest import database_before, make_message


def test_uri_keys_agree_across_spellings():
    a = uri_key("https://Piaille.fr:443/@julie/1129#reply")
    assert a == uri_key("http://piaille.fr/@julie/1129/") == "https://piaille.fr/@julie/1129"
    assert uri_key("https://news.example/a?id=3&utm_source=alerts&fbclid=x") == "https://news.example/a?id=3"
    assert uri_key("https://news.example/a?id=3") != uri_key("https://news.example/a?id=4")
    at = "at://did:plc:abc123/app.bsky.feed.post/3kxyz"
    assert uri_key(f"  {at} ") == at
    assert uri_key(None) is None and uri_key("  ") is None


def test_the_same_uri_from_two_sources_is_stored_once(store):
    store.register_source("search", "brand", "test", "keyword search")
    uri = "https://piaille.fr/users/julie/statuses/1129"
    first = store.ingest("test", [make_message(native_id="n1", uri=uri, text="via notifications")])
    again = store.ingest("search", [make_message(native_id="s9", uri=uri + "/", text="via search")])
    assert len(first.new_ids) == 1 and again.new_ids == [] and again.duplicates == 1
    assert store.folder_counts(1)["all"] == 1
    # Its own source refreshing it is still an update, not a duplicate.
    refreshed = store.ingest("test", [make_message(native_id="n1", uri=uri, text="edited")])
    assert refreshed.updated == 1 and refreshed.duplicates == 0


def test_duplicates_inside_one_batch_and_without_uri(store):
    batch = [make_message(uri="https://x.example/1"), make_message(uri="https://x.example/1"),
             make_message(uri=None), make_message(uri=None)]
    result = store.ingest("test", batch)
    assert len(result.new_ids) == 3 and result.duplicates == 1


def test_another_workspace_keeps_its_own_copy(store):
    store.ensure_workspace("other", "Other brand")
    store.register_source("other-src", "other", "test", "other")
    uri = "https://x.example/shared"
    store.ingest("test", [make_message(uri=uri)])
    assert len(store.ingest("other-src", [make_message(uri=uri)]).new_ids) == 1


def test_an_older_database_gains_the_column_and_keeps_its_rows(tmp_path):
    path = tmp_path / "v1.db"
    conn = database_before(path, "m002_cross_source_identity")
    conn.execute("INSERT INTO workspaces (slug, name) VALUES ('brand', 'Brand')")
    conn.execute("INSERT INTO sources (key, workspace_id, type, label) VALUES ('old', 1, 'test', 'old')")
    conn.execute("""INSERT INTO messages (source_id, workspace_id, native_id, network, kind, text, created_at, fetched_at)
                    VALUES (1, 1, 'a', 'x', 'mention', 'kept', 1.7e9, 1.7e9)""")
    conn.commit()
    conn.close()
    store = Store(path)
    assert store.message(1).text == "kept"
    store.ingest("old", [make_message(native_id="b", uri="https://x.example/b")])
    assert store.folder_counts(1)["all"] == 2
    store.close()
