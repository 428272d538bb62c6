"""The store's memory for the platform rules: DM windows, private replies, hidden comments."""

from __future__ import annotations

from cminbox.reply_rules import DAY, HOUR
from conftest import NOW, make_message


def dm(native_id, thread, at, network="facebook", **extra):
    return make_message(native_id=native_id, network=network, kind="dm", thread_id=thread, created_at=at, extra=extra)


def ids_by_native(store):
    return {store.message(i).native_id: i for i in range(1, store.max_id() + 1) if store.message(i)}


def test_the_window_follows_the_customers_last_message(store):
    store.ingest("test", [dm("a1", "t1", NOW - 30 * HOUR), dm("a2", "t1", NOW - 2 * HOUR)], now=NOW)
    ids = ids_by_native(store)
    assert store.reply_by([ids["a1"], ids["a2"]]) == {ids["a1"]: NOW + 22 * HOUR, ids["a2"]: NOW + 22 * HOUR}
    history = store.reply_history(ids["a1"])
    assert history.last_customer_at == NOW - 2 * HOUR and history.human_agent is False
    # An older message fetched late never moves the window back.
    store.ingest("test", [dm("a0", "t1", NOW - 40 * HOUR)], now=NOW)
    assert store.reply_history(ids["a1"]).last_customer_at == NOW - 2 * HOUR


def test_the_human_agent_tag_stamped_by_the_source_gives_7_days(store):
    store.ingest("test", [dm("b1", "t2", NOW - HOUR, human_agent=True)], now=NOW)
    message_id = ids_by_native(store)["b1"]
    assert store.reply_by([message_id])[message_id] == NOW - HOUR + 7 * DAY
    assert store.reply_history(message_id).human_agent is True


def test_networks_without_a_window_have_no_deadline(store):
    store.ingest("test", [dm("c1", "t3", NOW - HOUR, network="x")], now=NOW)
    assert store.reply_by([ids_by_native(store)["c1"]]) == {}


def test_expiring_lists_open_answerable_dms_closing_soonest_first(store):
    store.ingest("test", [
        dm("late", "t1", NOW - 20 * HOUR),  # closes in 4 h
        dm("soon", "t2", NOW - 23 * HOUR),  # closes in 1 h
        dm("gone", "t3", NOW - 30 * HOUR),  # closed
        dm("fresh", "t4", NOW - HOUR),  # closes in 23 h
        make_message(native_id="cmt", network="facebook", kind="comment", created_at=NOW - HOUR),
    ], now=NOW)
    ids = ids_by_native(store)
    workspace = store.workspaces()[0].id
    found, deadlines = store.expiring_ids(workspace, NOW)
    assert [store.message(i).native_id for i in found] == ["soon", "late", "fresh"]
    assert list(deadlines) == [NOW + HOUR, NOW + 4 * HOUR, NOW + 23 * HOUR]
    store.mark_done([ids["soon"]])
    assert ids["soon"] not in store.expiring_ids(workspace, NOW)[0]


def test_a_private_reply_is_claimed_once_and_released_only_if_not_sent(store):
    store.ingest("test", [make_message(native_id="k1", network="facebook", kind="comment")], now=NOW)
    message_id = ids_by_native(store)["k1"]
    assert store.claim_private_reply(message_id, NOW) is True
    assert store.claim_private_reply(message_id, NOW) is False
    store.release_private_reply(message_id)
    assert store.claim_private_reply(message_id, NOW + 1) is True
    store.confirm_private_reply(message_id, NOW + 2)
    store.release_private_reply(message_id)  # a sent one is never released
    assert store.reply_history(message_id).private_reply_at == NOW + 2


def test_hidden_comes_from_the_network_and_a_silent_refetch_keeps_it(store):
    store.ingest("test", [make_message(native_id="h1", network="instagram", kind="comment", extra={"hidden": False})], now=NOW)
    message_id = ids_by_native(store)["h1"]
    store.set_hidden(message_id, True)
    store.ingest("test", [make_message(native_id="h1", network="instagram", kind="comment", text="edited")], now=NOW)
    assert store.message(message_id).hidden is True
    store.ingest("test", [make_message(native_id="h1", network="instagram", kind="comment", extra={"hidden": False})], now=NOW)
    assert store.message(message_id).hidden is False
    assert store.list_rows([message_id])[message_id].hidden is False
