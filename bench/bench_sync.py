"""Sync benchmark against local fake servers (127.0.0.1): what the engine costs per message.

    python bench/bench_sync.py                  # default sizes
    python bench/bench_sync.py --items 5000 --pushes 300

Prints:
- throughput, messages per second from the HTTP response to the stored and scored row, for a
  big RSS feed (one response) and a Hacker News search (pages of 100); the time of a whole
  `sync_once` over a fresh database divided by the messages it stored;
- stream latency, from an item appearing on a fake stream to its committed row (p50 / p95 /
  max; target p95 under 1 s). Every network in tests/fakenets.py whose fake offers `push` is
  timed (Mastodon, once its fake streams); a generic server-sent-events stream always is, so
  the engine's streaming path has a figure on its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import random
import statistics
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import httpx  # noqa: E402

from cminbox.config import parse  # noqa: E402
from cminbox.demo.script import build_day  # noqa: E402
from cminbox.models import Incoming  # noqa: E402
from cminbox.sources import registry  # noqa: E402
from cminbox.sources.base import Page, Source, TemporaryError  # noqa: E402
from cminbox.store import Store  # noqa: E402
from cminbox.sync import Engine  # noqa: E402
from fake_feeds import FakeAlertsFeed, FakeHackerNews  # noqa: E402
from fakenets import FAKE_NETWORKS  # noqa: E402
from fakeserver import FakeServer  # noqa: E402

WORKSPACE = '[workspaces.brioche]\nname = "Brioche & Co"\nkeywords = ["Brioche"]\n'


def texts(n: int) -> list[str]:
    """Realistic French and English texts (the demo day's), each naming the brand."""
    pool = [e.message.text for seed in (1, 2, 3) for e in build_day(seed, hours=12)]
    rng = random.Random(7)
    return [f"Brioche: {rng.choice(pool)}" for _ in range(n)]


async def timed_sync(config_text: str, db: Path) -> tuple[int, float]:
    config = parse(tomllib.loads(config_text), None, config_text)
    with Store(db) as store:
        async with Engine(store, config) as engine:
            start = time.perf_counter()
            results = await engine.sync_once()
            elapsed = time.perf_counter() - start
    failed = [r.error for r in results if r.failed]
    if failed:
        raise SystemExit(f"sync failed: {failed}")
    return sum(r.new for r in results), elapsed


def throughput(items: int, tmp: Path) -> list[tuple[str, int, float]]:
    rows = []
    now = int(time.time())
    with FakeServer() as server:
        feed = FakeAlertsFeed(server)
        for i, text in enumerate(texts(items)):
            feed.add(text, f"https://news.example/{i}", text, at=now - i, redirect=i % 2 == 0)
        config = WORKSPACE + f'[[sources]]\nid = "rss"\ntype = "rss"\nworkspace = "brioche"\nurl = "{feed.url}"\n'
        rows.append(("RSS feed, 1 response", *asyncio.run(timed_sync(config, tmp / "rss.db"))))
        hn = FakeHackerNews(server)
        count = min(items, 500)  # one poll reads at most 5 pages of 100 per term
        for i, text in enumerate(texts(count)):
            hn.add_comment(text.replace("&", "&amp;"), at=now - i)
        config = WORKSPACE + f'[[sources]]\nid = "hn"\ntype = "hackernews"\nworkspace = "brioche"\nbase_url = "{server.url}"\n'
        rows.append(("Hacker News, pages of 100", *asyncio.run(timed_sync(config, tmp / "hn.db"))))
    return rows


# -- a generic server-sent-events stream ----------------------------------------------------


class SseServer:
    """Pushes `event: update` lines to every connected client; `:thump` heartbeats in between."""

    def __init__(self) -> None:
        self.clients: list[queue.Queue] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                mine: queue.Queue = queue.Queue()
                owner.clients.append(mine)
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                try:
                    self.wfile.write(b":)\n")
                    self.wfile.flush()
                    while True:
                        try:
                            payload = mine.get(timeout=1.0)
                        except queue.Empty:
                            payload = None
                        self.wfile.write(b":thump\n" if payload is None else f"event: update\ndata: {payload}\n\n".encode())
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    owner.clients.remove(mine)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.ids = iter(range(1, 10**9))

    @property
    def url(self) -> str:
        return "http://%s:%d/stream" % self.httpd.server_address[:2]

    def push(self) -> None:
        n = next(self.ids)
        payload = json.dumps({"id": str(n), "content": f"Brioche & Co, toujours pas reçu ma commande n°{n}",
                              "created_at": time.time(), "account": {"acct": f"user{n}"}})
        for client in list(self.clients):
            client.put(payload)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class SseSource(Source):
    """A minimal streaming source over SSE, for the benchmark only."""

    type = "bench-sse"
    network = "mastodon"
    default_interval = 3600.0

    async def fetch(self, cursor):
        return Page([], None)

    async def stream(self, cursor):
        url = self.entry.options["url"]
        try:
            async with self.http.client.stream("GET", url, timeout=httpx.Timeout(30.0, connect=5.0)) as response:
                yield Page([], None)
                data = None
                async for line in response.aiter_lines():
                    if line.startswith("data: "):
                        data = json.loads(line[6:])
                    elif line == "" and data is not None:
                        yield Page([Incoming(native_id=data["id"], network="mastodon", kind="mention",
                                             text=data["content"], created_at=data["created_at"],
                                             author_handle=data["account"]["acct"])], None)
                        data = None
        except httpx.HTTPError as error:
            raise TemporaryError(f"stream dropped ({type(error).__name__})") from None


async def stream_latency(config_text: str, db: Path, push, pushes: int) -> list[float]:
    """Seconds from each push to the commit of its row (one push at a time, spaced at random)."""
    config = parse(tomllib.loads(config_text), None, config_text)
    arrived = asyncio.Event()

    def on_change(new: int) -> None:
        if new:
            arrived.set()

    latencies = []
    rng = random.Random(3)
    with Store(db) as store:
        async with Engine(store, config, on_change=on_change) as engine:
            task = asyncio.create_task(engine.run())
            for _ in range(500):  # wait until the stream is connected
                if any(h.state == "live" for h in store.sources()):
                    break
                await asyncio.sleep(0.01)
            else:
                raise SystemExit("the stream never connected")
            arrived.clear()
            for _ in range(pushes):
                start = time.perf_counter()
                await asyncio.to_thread(push)
                await asyncio.wait_for(arrived.wait(), timeout=10)
                latencies.append(time.perf_counter() - start)
                arrived.clear()
                await asyncio.sleep(rng.uniform(0.01, 0.05))
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
    return latencies


def streams(pushes: int, tmp: Path) -> list[tuple[str, list[float]]]:
    rows = []
    registry.SOURCE_TYPES["bench-sse"] = "__main__:SseSource"
    sse = SseServer()
    try:
        config = WORKSPACE + f'[[sources]]\nid = "sse"\ntype = "bench-sse"\nworkspace = "brioche"\nurl = "{sse.url}"\n'
        rows.append(("generic SSE stream", asyncio.run(stream_latency(config, tmp / "sse.db", sse.push, pushes))))
    finally:
        sse.close()
    for network in FAKE_NETWORKS:
        with FakeServer() as server:
            installed = network.setup(server)
            if installed.push is None:
                continue
            os.environ.update(installed.env)
            latencies = asyncio.run(stream_latency(WORKSPACE.replace('keywords = ["Brioche"]', 'keywords = ["Brioche & Co"]')
                                                   + installed.toml, tmp / f"{network.name}.db", installed.push, pushes))
            rows.append((f"{network.name} stream", latencies))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000, help="messages in the big feed (default 2000)")
    parser.add_argument("--pushes", type=int, default=200, help="stream items to time (default 200)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        print("Throughput: HTTP response to stored, scored row")
        for name, count, seconds in throughput(args.items, tmp):
            print(f"  {name:<28} {count:>6} messages in {seconds:6.2f} s = {count / seconds:8,.0f} msg/s")
        print("Stream latency: item on the stream to its committed row (target p95 < 1 s)")
        for name, latencies in streams(args.pushes, tmp):
            ordered = sorted(latencies)
            p95 = ordered[int(0.95 * (len(ordered) - 1))]
            print(f"  {name:<28} n={len(ordered)}  p50 {statistics.median(ordered) * 1000:6.1f} ms"
                  f"  p95 {p95 * 1000:6.1f} ms  max {ordered[-1] * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
