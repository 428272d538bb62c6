"""Building sources for tests: a config entry, the shared `Http` over a real client, fixed secrets.

    async with source_for("rss", server.url, url=server.url + "/feed") as source:
        page = await source.fetch(None)

`secrets(token="abc")` stands for the user's environment or keyring.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

import httpx

from cminbox.config import SourceEntry
from cminbox.sources.base import AuthError
from cminbox.sources.http import Http
from cminbox.sources.registry import Secret, build

NOW = 1_764_000_000.0


def make_entry(type_: str, base_url: str | None = None, *, key: str | None = None, workspace: str = "brand",
               label: str | None = None, interval: float | None = None, read: tuple[str, ...] = (),
               terms: tuple[str, ...] = ("Brioche & Co", "#BriocheAndCo"), credentials: dict | None = None,
               **options) -> SourceEntry:
    return SourceEntry(
        key=key or f"{workspace}-{type_}", type=type_, workspace=workspace, label=label or f"{type_} test",
        base_url=base_url, interval=interval, read=tuple(read), terms=tuple(terms),
        credentials=credentials or {}, options=options, line=1,
    )


def secrets(**values: str) -> Secret:
    def secret(name: str) -> str:
        if name not in values:
            raise AuthError(f"no {name} configured")
        return values[name]

    return secret


@asynccontextmanager
async def source_for(type_: str, base_url: str | None = None, *, clock=lambda: NOW, secret: Secret | None = None,
                     **entry_args):
    async with httpx.AsyncClient(timeout=5) as client:
        http = Http(client, clock=clock)
        yield build(make_entry(type_, base_url, **entry_args), http, secret or secrets())
