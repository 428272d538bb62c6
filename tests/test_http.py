"""The shared HTTP layer against a real loopback server: errors mapped, rate limits honoured early."""

from __future__ import annotations

import httpx
import pytest

from cminbox.sources.base import AuthError, PayloadError, RateLimited, SourceError, TemporaryError
from cminbox.sources.http import Http, parse_reset, parse_retry_after
from fakeserver import FakeServer, Reply

NOW = 1_764_000_000.0


@pytest.fixture
def server():
    with FakeServer() as s:
        yield s


async def call(server, path, clock=lambda: NOW, http=None):
    async with httpx.AsyncClient(timeout=5) as client:
        http = http or Http(client, clock=clock)
        http.client = client
        return await http.get_json(server.url + path, label="test source")


async def test_json_comes_back(server):
    server.route("GET", "/ok", lambda r: Reply.json({"hello": "world"}))
    assert await call(server, "/ok") == {"hello": "world"}


@pytest.mark.parametrize(
    "reply, error, words",
    [
        (Reply.json({"error": "The access token is invalid"}, 401), AuthError, "re-authenticate"),
        (Reply.json({"error": "boom"}, 500), TemporaryError, "HTTP 500"),
        (Reply.text("<html>502 Bad Gateway</html>", 502), TemporaryError, "HTTP 502"),
        (Reply.json({"error": "Record not found"}, 404), SourceError, "HTTP 404"),
        (Reply.text("{not json"), PayloadError, "not valid JSON"),
        (Reply(200, b'{"id": "1", "content": "cut here and never fin', {"Content-Type": "application/json"}, truncate=True), TemporaryError, "closed the connection"),
    ],
)
async def test_failures_become_source_errors(server, reply, error, words):
    server.route("GET", "/x", lambda r: reply)
    with pytest.raises(error, match=words):
        await call(server, "/x")


async def test_429_with_retry_after_waits_that_long_and_does_not_call_again(server):
    server.route("GET", "/limited", lambda r: Reply.text("Too many requests", 429, {"Retry-After": "30"}))
    async with httpx.AsyncClient(timeout=5) as client:
        http = Http(client, clock=lambda: NOW)
        with pytest.raises(RateLimited) as caught:
            await http.get_json(server.url + "/limited", label="t")
        assert caught.value.retry_after == 30
        with pytest.raises(RateLimited):
            await http.get_json(server.url + "/limited", label="t")
    assert len(server.calls("GET", "/limited")) == 1  # the second one never went out


async def test_spent_budget_stops_before_the_limit_is_hit(server):
    reset = "2025-11-24T16:05:00.000Z"  # Mastodon's ISO reset, 5 minutes after NOW
    server.route("GET", "/n", lambda r: Reply.json([], headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}))
    now = [NOW]
    async with httpx.AsyncClient(timeout=5) as client:
        http = Http(client, clock=lambda: now[0])
        await http.get_json(server.url + "/n", label="t")
        with pytest.raises(RateLimited) as caught:
            await http.get_json(server.url + "/n", label="t")
        assert 299 <= caught.value.retry_after <= 301
        now[0] = NOW + 301
        await http.get_json(server.url + "/n", label="t")
    assert len(server.calls("GET", "/n")) == 2


async def test_errors_never_echo_query_strings(server):
    server.route("GET", "/secret", lambda r: Reply.json({}, 500))
    with pytest.raises(TemporaryError) as caught:
        await call(server, "/secret?access_token=SUPERSECRET")
    assert "SUPERSECRET" not in str(caught.value)


async def test_unreachable_host_is_temporary():
    async with httpx.AsyncClient(timeout=2) as client:
        with pytest.raises(TemporaryError, match="cannot reach"):
            await Http(client).get_json("http://127.0.0.1:9/nothing", label="t")


def test_reset_formats():
    assert parse_reset("1764000300", NOW) == 1764000300  # X: epoch seconds
    assert parse_reset("12.0", NOW) == NOW + 12  # Reddit: seconds from now
    assert parse_reset("2025-11-24T16:05:00Z", NOW) == NOW + 300  # Mastodon: ISO time
    assert parse_reset("soon", NOW) is None
    assert parse_retry_after("120", NOW) == 120
    assert parse_retry_after("Mon, 24 Nov 2025 16:01:00 GMT", NOW) == 60


async def test_statuses_the_caller_reads_itself_come_back(server):
    server.route("GET", "/gone", lambda r: Reply.json({"error": "ExpiredToken"}, 400))
    async with httpx.AsyncClient(timeout=5) as client:
        response = await Http(client).request("GET", server.url + "/gone", label="t", ok_statuses=(400,))
    assert response.status_code == 400 and response.json() == {"error": "ExpiredToken"}


async def test_ietf_style_ratelimit_headers_are_honoured_too(server):
    # Bluesky's PDS: ratelimit-remaining / ratelimit-reset (epoch seconds), no x- prefix.
    server.route("GET", "/b", lambda r: Reply.json({}, headers={"RateLimit-Remaining": "0", "RateLimit-Reset": str(int(NOW) + 90)}))
    async with httpx.AsyncClient(timeout=5) as client:
        http = Http(client, clock=lambda: NOW)
        await http.get_json(server.url + "/b", label="t")
        with pytest.raises(RateLimited) as caught:
            await http.get_json(server.url + "/b", label="t")
    assert caught.value.retry_after == 90


@pytest.mark.parametrize("written", ["2024-05-01T09:30:00", "2024-05-01T09:30:00Z", "2024-05-01T09:30:00.000Z",
                                     " 2024-05-01T11:30:00+02:00 "])
def test_a_network_time_is_utc_whatever_this_computers_zone(time_zone, written):
    # A time without an offset (Hacker News's `created_at` fallback) was read in the computer's
    # zone: five hours off in Montréal.
    from cminbox.sources.apicall import iso_time

    time_zone("America/Montreal")
    assert iso_time(written, "X") == 1714555800.0


@pytest.mark.parametrize("value", ["hier", "", None, 1714555800])
def test_a_network_time_that_is_none_says_what_it_got(value):
    from cminbox.sources.apicall import iso_time

    with pytest.raises(PayloadError, match="not a YouTube time"):
        iso_time(value, "YouTube")


def test_a_spent_daily_limit_waits_for_its_own_reset_not_the_15_minute_one():
    # X answers a reply past the day's post limit with 429 and both windows: the 15-minute one
    # (x-rate-limit-*, soon) and the day's (x-user-limit-24hour-*, spent). Retrying at the
    # 15-minute reset failed again; the day's reset is when it can go.
    from cminbox.sources.apicall import wait_from_headers

    http = Http(None, clock=lambda: NOW)
    both = {"x-rate-limit-remaining": "299", "x-rate-limit-reset": str(int(NOW) + 600),
            "x-user-limit-24hour-limit": "100", "x-user-limit-24hour-remaining": "0",
            "x-user-limit-24hour-reset": str(int(NOW) + 20 * 3600)}
    assert wait_from_headers(http, httpx.Response(429, headers=both)) == 20 * 3600
    left = {**both, "x-user-limit-24hour-remaining": "12"}  # the day's limit is not what was hit
    assert wait_from_headers(http, httpx.Response(429, headers=left)) == 600
