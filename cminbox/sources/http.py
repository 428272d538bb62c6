"""HTTP for every source: one shared httpx client, the networks' failures mapped to source errors,
and rate limits honoured before they are hit.

Sources call `Http.request()` (or `get_json()`); they never see a raw `httpx` exception.
After each response the budget its rate-limit headers announce is remembered per bucket (a host,
or a finer name a source chooses); a request whose bucket is spent raises `RateLimited` until
the reset, without going out. Headers understood:

- `x-ratelimit-remaining` / `x-ratelimit-reset` (Mastodon: reset is an ISO time; Reddit:
  remaining may be fractional, reset is seconds from now),
- `x-rate-limit-remaining` / `x-rate-limit-reset` (X: reset is epoch seconds),
- `ratelimit-remaining` / `ratelimit-reset` (Bluesky's PDS: reset is epoch seconds; the IETF
  draft's delta-seconds read the same way),
- `Retry-After` on 429 and 503 (seconds or an HTTP date).

Error messages never include request headers or URLs' query strings (where tokens may travel),
and quote at most a short, cleaned excerpt of a response body.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import httpx

from ..textsafe import clean_line
from .base import AuthError, PayloadError, RateLimited, SourceError, TemporaryError

DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
# When a spent budget gives no reset time, wait this long before trying again.
DEFAULT_WAIT = 60.0
# Stop calling when fewer than this many requests remain in the window: the next call would be
# refused, and a refusal can cost a longer penalty than waiting for the reset.
RESERVE = 1
_BODY_EXCERPT = 160
USER_AGENT = "cminbox/0.1 (+https://github.com/cminbox; social inbox for community managers)"


def new_client() -> httpx.AsyncClient:
    """The one client the app (or `cminbox sync`) shares across sources."""
    return httpx.AsyncClient(timeout=DEFAULT_TIMEOUT, headers={"User-Agent": USER_AGENT}, follow_redirects=True)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait, from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def parse_reset(value: str | None, now: float) -> float | None:
    """The epoch time a rate-limit window resets, from the many ways networks say it."""
    if not value:
        return None
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    # Epoch seconds (X) are large; seconds-until-reset (Reddit) are small.
    return number if number > 1_000_000_000 else now + number


@dataclass(slots=True)
class Budget:
    remaining: float
    reset_at: float | None


def _excerpt(response: httpx.Response) -> str:
    try:
        text = response.text
    except Exception:  # undecodable body
        return ""
    return clean_line(text)[:_BODY_EXCERPT]


def _where(url: str) -> str:
    """Host and path only: query strings can carry tokens."""
    parts = urlsplit(url)
    return f"{parts.hostname or ''}{parts.path}"


class Http:
    """A source's view of the network: requests, error mapping, rate-limit budgets."""

    def __init__(self, client: httpx.AsyncClient, *, clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.clock = clock
        self.budgets: dict[str, Budget] = {}

    def bucket_for(self, url: str) -> str:
        return urlsplit(url).hostname or url

    def check_budget(self, bucket: str) -> None:
        """Raise `RateLimited` if this bucket's budget is spent and its window still open."""
        budget = self.budgets.get(bucket)
        if budget is None or budget.remaining >= RESERVE:
            return
        now = self.clock()
        reset = budget.reset_at
        if reset is not None and reset <= now:
            del self.budgets[bucket]
            return
        wait = (reset - now) if reset is not None else DEFAULT_WAIT
        raise RateLimited(f"rate limit reached on {bucket}: waiting {int(wait) + 1} s before the next call", wait)

    def note_budget(self, bucket: str, headers: Mapping[str, str]) -> None:
        for prefix in ("x-ratelimit-", "x-rate-limit-", "ratelimit-"):
            remaining = headers.get(prefix + "remaining")
            if remaining is not None:
                break
        else:
            return
        try:
            left = float(remaining)
        except ValueError:
            return
        reset = parse_reset(headers.get(prefix + "reset"), self.clock())
        self.budgets[bucket] = Budget(left, reset)

    async def request(
        self,
        method: str,
        url: str,
        *,
        label: str,
        bucket: str | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping | None = None,
        json_body: object | None = None,
        data: Mapping | None = None,
        auth_statuses: tuple[int, ...] = (401,),
        ok_statuses: tuple[int, ...] = (),
    ) -> httpx.Response:
        """One call; returns a 2xx/3xx response or raises a `SourceError` subclass.

        `label` names the source in messages ("mastodon @brand@piaille.fr"). `auth_statuses`
        are the codes this network uses for refused credentials (some add 403). `ok_statuses`
        are error codes the caller reads itself (an expired session to refresh, an endpoint an
        older server lacks); 429 is always handled here.
        """
        bucket = bucket or self.bucket_for(url)
        self.check_budget(bucket)
        try:
            response = await self.client.request(
                method, url, headers=headers, params=params, json=json_body, data=data
            )
        except httpx.HTTPError as error:
            raise transport_error(error, url, label) from None
        return self.check_response(
            response, label=label, bucket=bucket, auth_statuses=auth_statuses, ok_statuses=ok_statuses
        )

    def check_response(
        self,
        response: httpx.Response,
        *,
        label: str,
        bucket: str | None = None,
        auth_statuses: tuple[int, ...] = (401,),
        ok_statuses: tuple[int, ...] = (),
    ) -> httpx.Response:
        """Note the budget a response announces and raise the error its status means.

        `request()` calls it; a source that opens a long-lived stream itself (server-sent
        events) calls it on the stream's response, after reading the body of a failed one.
        """
        url = str(response.request.url)
        bucket = bucket or self.bucket_for(url)
        self.note_budget(bucket, response.headers)
        status = response.status_code
        if status == 429 or (status == 503 and "retry-after" in response.headers):
            now = self.clock()
            wait = parse_retry_after(response.headers.get("retry-after"), now)
            if wait is None:
                reset = parse_reset(
                    response.headers.get("x-ratelimit-reset")
                    or response.headers.get("x-rate-limit-reset")
                    or response.headers.get("ratelimit-reset"),
                    now,
                )
                wait = (reset - now) if reset else DEFAULT_WAIT
            self.budgets[bucket] = Budget(0, now + wait)
            raise RateLimited(f"{label}: rate limited by {_where(url)}, retrying in {int(wait) + 1} s", wait)
        if status in ok_statuses:
            return response
        if status in auth_statuses:
            raise AuthError(f"{label}: the network refused our credentials (HTTP {status}): re-authenticate")
        if status >= 500:
            raise TemporaryError(f"{label}: {_where(url)} failed on its side (HTTP {status})")
        if status >= 400:
            excerpt = _excerpt(response)
            raise SourceError(f"{label}: {_where(url)} refused the request (HTTP {status}){': ' + excerpt if excerpt else ''}")
        return response

    async def get_json(self, url: str, *, label: str, **kwargs) -> object:
        response = await self.request("GET", url, label=label, **kwargs)
        return decode_json(response, label)


def transport_error(error: httpx.HTTPError, url: str, label: str) -> TemporaryError:
    """What a failed exchange (no answer, cut connection) means to the user; worth retrying later."""
    if isinstance(error, httpx.TimeoutException):
        return TemporaryError(f"{label}: {_where(url)} did not answer in time")
    if isinstance(error, httpx.RemoteProtocolError):
        return TemporaryError(f"{label}: {_where(url)} closed the connection mid-answer")
    if isinstance(error, (httpx.ConnectError, httpx.NetworkError)):
        return TemporaryError(f"{label}: cannot reach {_where(url)} ({type(error).__name__})")
    return TemporaryError(f"{label}: request to {_where(url)} failed ({type(error).__name__})")


def decode_json(response: httpx.Response, label: str) -> object:
    """The response's JSON, or `PayloadError` saying it was not JSON (truncated, HTML error page…)."""
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        raise PayloadError(
            f"{label}: {_where(str(response.request.url))} sent something that is not valid JSON "
            f"({len(response.content)} bytes)"
        ) from None
