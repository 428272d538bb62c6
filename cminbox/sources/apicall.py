"""One HTTP exchange whose error answers the source reads itself (Graph, YouTube and X put the
reason for a refusal in the body, sometimes with a 200 or a 400 where others use 401 or 429).

`exchange()` uses the shared `Http`: its budgets are checked before the call and updated from
the response's rate-limit headers, and a failed exchange (no answer, cut connection) becomes a
`TemporaryError`. Unlike `Http.request`, every HTTP status comes back to the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

import json

import httpx

from ..textsafe import clean_line
from .apidata import iso_seconds
from .base import PayloadError, RateLimited, TemporaryError
from .http import DEFAULT_WAIT, Budget, Http, parse_reset, parse_retry_after

_EXCERPT = 200


def where(url: str) -> str:
    """Host and path only: query strings can carry tokens."""
    parts = urlsplit(url)
    return f"{parts.hostname or ''}{parts.path}"


def iso_time(value: object, network: str) -> float:
    """Seconds since the epoch from an ISO 8601 UTC time, with or without milliseconds
    (`2024-05-01T09:30:00Z`, `2024-05-01T09:30:00.123Z`), as YouTube, X and Hacker News write
    them; one without an offset is UTC too, never this computer's local time."""
    seconds = iso_seconds(value.strip() if isinstance(value, str) else value)
    if isinstance(seconds, str):
        raise PayloadError(f"not a {network} time: {excerpt(value)!r}")
    return seconds


def excerpt(text: object) -> str:
    """A short, single-line, control-free piece of what a network said, for an error message."""
    return clean_line(str(text or ""))[:_EXCERPT]


async def exchange(
    http: Http,
    method: str,
    url: str,
    *,
    label: str,
    bucket: str,
    headers: Mapping[str, str] | None = None,
    params: Mapping | None = None,
    json_body: object | None = None,
    data: Mapping | None = None,
) -> httpx.Response:
    http.check_budget(bucket)
    try:
        response = await http.client.request(method, url, headers=headers, params=params, json=json_body, data=data)
    except httpx.TimeoutException:
        raise TemporaryError(f"{label}: {where(url)} did not answer in time") from None
    except httpx.RemoteProtocolError:
        raise TemporaryError(f"{label}: {where(url)} closed the connection mid-answer") from None
    except httpx.HTTPError as error:
        raise TemporaryError(f"{label}: cannot reach {where(url)} ({type(error).__name__})") from None
    http.note_budget(bucket, response.headers)
    return response


def body_of(response: httpx.Response) -> object | None:
    """The response's JSON, or None when it is not JSON (a plain-text 429, an HTML error page)."""
    try:
        return json.loads(response.content) if response.content else {}
    except (ValueError, UnicodeDecodeError):
        return None


def json_object(body: object | None, label: str, network: str) -> dict:
    """A successful answer's JSON object, or `PayloadError` saying what came instead."""
    if not isinstance(body, dict):
        raise PayloadError(f"{label}: {network} sent something that is not a JSON object")
    return body


def pause(http: Http, bucket: str, seconds: float, message: str) -> RateLimited:
    """Close the bucket for `seconds` (no call goes out meanwhile) and say so."""
    http.budgets[bucket] = Budget(0, http.clock() + seconds)
    return RateLimited(message, seconds)


def wait_from_headers(http: Http, response: httpx.Response) -> float:
    """How long a 429 asks us to wait: Retry-After, else the rate-limit reset, else a minute; and
    until a spent daily limit's reset, when one says so (X's `x-user-limit-24hour-*` and
    `x-app-limit-24hour-*`, beside the 15-minute window's `x-rate-limit-*`: posts and replies have
    both, and the 15-minute reset came while the day's were still spent)."""
    now = http.clock()
    wait = parse_retry_after(response.headers.get("retry-after"), now)
    if wait is None:
        reset = parse_reset(response.headers.get("x-rate-limit-reset") or response.headers.get("x-ratelimit-reset"), now)
        wait = max(1.0, reset - now) if reset else DEFAULT_WAIT
    for daily in ("x-user-limit-24hour", "x-app-limit-24hour"):
        if response.headers.get(f"{daily}-remaining", "").strip() == "0":
            reset = parse_reset(response.headers.get(f"{daily}-reset"), now)
            if reset:
                wait = max(wait, reset - now)
    return wait
