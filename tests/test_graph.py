"""The Graph API layer: times, usage headers, paging URLs."""

from __future__ import annotations

import json

import httpx
import pytest

from cminbox.sources.base import PayloadError
from cminbox.sources.graph import Graph, parse_time, usage_percent

NOW = 1_764_000_000.0


def test_graph_times_have_no_colon_in_the_offset():
    assert parse_time("2025-11-24T16:00:00+0000") == NOW
    assert parse_time("2025-11-24T17:00:00+0100") == NOW
    with pytest.raises(PayloadError):
        parse_time("24/11/2025")


def test_usage_headers_give_the_highest_share_and_the_regain_time():
    headers = httpx.Headers({
        "x-app-usage": json.dumps({"call_count": 12, "total_time": 40, "total_cputime": 3}),
        "x-business-use-case-usage": json.dumps({"111": [{"type": "pages", "call_count": 95, "total_time": 2,
                                                           "total_cputime": 1, "estimated_time_to_regain_access": 7}]}),
    })
    assert usage_percent(headers) == (95.0, 7.0)
    assert usage_percent(httpx.Headers({"x-app-usage": "not json"})) == (0.0, None)


def test_paging_next_is_rebased_and_loses_its_token():
    graph = Graph(None, base_url="http://127.0.0.1:9999", version="v24.0", token=lambda: "t", label="fb", bucket="b")
    next_url = "https://graph.facebook.com/v24.0/111/feed?fields=id&limit=25&after=QVFI&access_token=SECRET"
    assert graph.rebase(next_url) == "http://127.0.0.1:9999/v24.0/111/feed?fields=id&limit=25&after=QVFI"


def test_paging_next_of_another_version_is_served_at_the_configured_one():
    # Graph writes into `paging.next` the version that served the call: an unversioned call, or
    # one to a version past its end of life, is served by the oldest available one (Graph API,
    # Versioning), so the next URL may name a version other than the one asked for.
    graph = Graph(None, base_url="http://127.0.0.1:9999", version="v24.0", token=lambda: "t", label="fb", bucket="b")
    next_url = "https://graph.facebook.com/v19.0/111/feed?fields=id&limit=25&after=QVFI&access_token=SECRET"
    assert graph.rebase(next_url) == "http://127.0.0.1:9999/v24.0/111/feed?fields=id&limit=25&after=QVFI"
