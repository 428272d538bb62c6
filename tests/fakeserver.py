"""A real HTTP server on 127.0.0.1 for network tests: the networks' APIs as their documentation shows them.

    with FakeServer() as server:
        server.route("GET", "/api/v1/notifications", lambda req: Reply.json([...]))
        url = server.url  # http://127.0.0.1:PORT

Handlers receive a `Request` (method, path, query dict of lists, headers, body bytes, json()) and
return a `Reply`. Every request is recorded in `server.requests`, so tests can assert on what the
client sent (auth headers, query parameters, POST bodies) and how many times.

Server-sent events (Mastodon's streaming API): a handler returns `Reply.events(stream)` for an
`EventStream`; the connection stays open, `stream.push(event, data)` writes to every connected
client, `stream.drop()` cuts them off mid-stream (as a dying proxy would).
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body or b"null")

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    truncate: bool = False  # announce the full length, send half, close: a cut connection
    stream: "EventStream | None" = None  # keep the connection open and write server-sent events

    @classmethod
    def json(cls, data: object, status: int = 200, headers: dict[str, str] | None = None) -> "Reply":
        return cls(status, json.dumps(data).encode(), {"Content-Type": "application/json", **(headers or {})})

    @classmethod
    def text(cls, text: str, status: int = 200, headers: dict[str, str] | None = None) -> "Reply":
        return cls(status, text.encode(), {"Content-Type": "text/plain; charset=utf-8", **(headers or {})})


    @classmethod
    def events(cls, stream: "EventStream") -> "Reply":
        return cls(200, b"", {"Content-Type": "text/event-stream; charset=utf-8"}, stream=stream)


Handler = Callable[[Request], Reply]


class EventStream:
    """One server-sent events endpoint; every client connected to it gets what is pushed."""

    def __init__(self) -> None:
        self._clients: list[queue.Queue] = []
        self._lock = threading.Condition()
        self.connections = 0  # how many times a client connected, in all

    def push(self, event: str, data: object) -> None:
        payload = data if isinstance(data, str) else json.dumps(data)
        chunk = f"event: {event}\n" + "".join(f"data: {line}\n" for line in payload.split("\n")) + "\n"
        self._send(chunk.encode())

    def comment(self, text: str = "thump") -> None:
        self._send(f":{text}\n".encode())

    def drop(self) -> None:
        """Cut every connected client off without ending the chunked body: a dropped stream."""
        self._send(None)

    def wait_for_clients(self, count: int = 1, timeout: float = 5.0) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: len(self._clients) >= count, timeout)

    def wait_for_connections(self, total: int, timeout: float = 5.0) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: self.connections >= total, timeout)

    def _send(self, chunk: bytes | None) -> None:
        with self._lock:
            for client in self._clients:
                client.put(chunk)

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        mine: queue.Queue = queue.Queue()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream; charset=utf-8")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.send_header("Cache-Control", "no-store")
        handler.end_headers()
        with self._lock:
            self._clients.append(mine)
            self.connections += 1
            self._lock.notify_all()
        try:
            self._write(handler, b":)\n")  # Mastodon greets with a comment, then heartbeats
            while (chunk := mine.get()) is not None:
                self._write(handler, chunk)
        except OSError:
            pass  # the client went away
        finally:
            with self._lock:
                self._clients.remove(mine)
            handler.close_connection = True

    @staticmethod
    def _write(handler: BaseHTTPRequestHandler, data: bytes) -> None:
        handler.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        handler.wfile.flush()


class FakeServer:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Handler] = {}
        self.prefix_routes: dict[tuple[str, str], Handler] = {}  # paths with ids in them
        self.requests: list[Request] = []
        self.streams: list[EventStream] = []
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(
                    self.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()}, body,
                )
                with server._lock:
                    server.requests.append(request)
                handler = server.routes.get((self.command, parts.path)) or next(
                    (h for (m, prefix), h in server.prefix_routes.items()
                     if m == self.command and parts.path.startswith(prefix)),
                    None,
                )
                reply = handler(request) if handler else Reply.json({"error": "Record not found"}, 404)
                if reply.stream is not None:
                    reply.stream.serve(self)
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if reply.truncate:
                    self.wfile.write(reply.body[: len(reply.body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(reply.body)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method, path)] = handler

    def route_prefix(self, method: str, prefix: str, handler: Handler) -> None:
        """Serve every path under `prefix` (`/api/v1/timelines/tag/` + a tag, say)."""
        self.prefix_routes[(method, prefix)] = handler

    def event_stream(self, path: str) -> EventStream:
        """Serve server-sent events at `GET path`; returns the stream to push to."""
        stream = EventStream()
        self.streams.append(stream)
        self.route("GET", path, lambda request: Reply.events(stream))
        return stream

    def calls(self, method: str, path: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def __enter__(self) -> "FakeServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for stream in self.streams:
            stream.drop()
        self.httpd.shutdown()
        self.httpd.server_close()
