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


@asynccontextmanager
async def engine_for(store, *entries: SourceEntry, clock=lambda: NOW, env: dict[str, str] | None = None, **kwargs):
    """An `Engine` over `store` with these entries (workspace "brand"), sharing one real client.

    `env` stands for the environment that `env:NAME` references read.
    """
    from cminbox.config import Config, WorkspaceConfig
    from cminbox.credentials import CredentialError
    from cminbox.sync import Engine

    def resolve(reference: str) -> str:
        name = reference.partition(":")[2]
        if not env or name not in env:
            raise CredentialError(f"environment variable {name} is not set")
        return env[name]

    config = Config(workspaces=(WorkspaceConfig("brand", "Brand & Co"),), sources=tuple(entries))
    kwargs.setdefault("rng", lambda: 0.5)
    async with httpx.AsyncClient(timeout=5) as client:
        async with Engine(store, config, client=client, clock=clock, resolve=resolve, **kwargs) as engine:
            yield engine


def health(store, key: str):
    """A source's recorded health."""
    return {h.key: h for h in store.sources()}[key]
