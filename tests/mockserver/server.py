"""A local HTTP server for offline crawl tests: ``python tests/mockserver/server.py --root DIR``.

It binds 127.0.0.1 (or ``--host``, e.g. a second loopback address 127.0.0.2) on a free port and prints its base URL as the first line of stdout.

- Static files under ``--root``; the token ``{{BASE_URL}}`` inside a served text file is replaced
  by the server's own base URL, so listing pages and sitemaps can link back to it.
- Routes (``POST /__routes`` with a JSON list, or ``--routes FILE``) answer matching requests first,
  in order. A route: ``{"method": "GET", "path": "/x", "query": {"offset": "0"}, "body": {"offset": 20},
  "status": 200, "headers": {"Retry-After": "1"}, "file": "rel/path.json" | "text": "...",
  "times": 1, "delay": 0.5, "drop": false}``. ``query`` / ``body`` match a subset of the request's
  query parameters / JSON body; a route with ``times`` stops matching after that many answers.
- ``GET /__log`` returns every request seen so far (method, path, query, body, headers, ``at``: when); ``POST /__reset``
  clears routes and log.
- Behaviour endpoints: ``/status/<code>``, ``/delay/<seconds>``, ``/drop`` (closes the connection).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

TYPES = {".json": "application/json", ".html": "text/html; charset=utf-8", ".xml": "application/xml",
         ".txt": "text/plain; charset=utf-8", ".htm": "text/html; charset=utf-8"}


class State:
    def __init__(self, root: Path, routes: list[dict]):
        self.root = root
        self.routes = routes
        self.log: list[dict] = []
        self.lock = threading.Lock()
        self.base_url = ""


class Handler(BaseHTTPRequestHandler):
    server_version = "pacsjobs-mock/1"
    protocol_version = "HTTP/1.1"

    @property
    def state(self) -> State:
        return self.server.state  # type: ignore[attr-defined]

    def log_message(self, format: str, *args) -> None:  # keep test output quiet
        pass

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, ctype: str = "text/plain; charset=utf-8",
              headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, str(value))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _file(self, rel: str) -> tuple[bytes, str] | None:
        path = (self.state.root / rel.lstrip("/")).resolve()
        if not str(path).startswith(str(self.state.root.resolve())) or not path.is_file():
            return None
        data = path.read_bytes()
        ctype = TYPES.get(path.suffix.lower(), "application/octet-stream")
        if ctype.startswith(("text/", "application/json", "application/xml")):
            data = data.replace(b"{{BASE_URL}}", self.state.base_url.encode())
        return data, ctype

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        raw_body = self._body()
        try:
            body = json.loads(raw_body) if raw_body else None
        except ValueError:
            body = raw_body.decode("utf-8", "replace")
        st = self.state
        if parts.path == "/__log":
            with st.lock:
                return self._send(200, json.dumps(st.log).encode(), "application/json")
        if parts.path == "/__routes" and self.command == "POST":
            with st.lock:
                st.routes = list(body or [])
            return self._send(200, b"ok")
        if parts.path == "/__reset" and self.command == "POST":
            with st.lock:
                st.routes, st.log = [], []
            return self._send(200, b"ok")
        with st.lock:
            st.log.append({"method": self.command, "path": parts.path, "query": query, "body": body,
                           "headers": {k.lower(): v for k, v in self.headers.items()}, "at": time.time()})
            route = self._match(parts.path, query, body)
        if route is not None:
            return self._answer(route)
        if parts.path == "/drop":
            return self._drop()
        if parts.path.startswith("/status/"):
            return self._send(int(parts.path.rsplit("/", 1)[1]), b"status")
        if parts.path.startswith("/delay/"):
            time.sleep(float(parts.path.rsplit("/", 1)[1]))
            return self._send(200, b"delayed")
        found = self._file(parts.path if not parts.path.endswith("/") else parts.path + "index.html")
        if found is None:
            return self._send(404, b"not found")
        self._send(200, *found)

    def _match(self, path: str, query: dict, body) -> dict | None:
        for route in self.state.routes:
            if route.get("path") != path or route.get("method", "GET").upper() != self.command:
                continue
            if any(query.get(k) != str(v) for k, v in (route.get("query") or {}).items()):
                continue
            want = route.get("body") or {}
            if want and not (isinstance(body, dict) and all(body.get(k) == v for k, v in want.items())):
                continue
            if "times" in route:
                if route["times"] <= 0:
                    continue
                route["times"] -= 1
            return route
        return None

    def _answer(self, route: dict) -> None:
        if route.get("delay"):
            time.sleep(float(route["delay"]))
        if route.get("drop"):
            return self._drop()
        if "file" in route:
            found = self._file(route["file"])
            if found is None:
                return self._send(500, f"mockserver: no fixture {route['file']}".encode())
            data, ctype = found
        else:
            data = str(route.get("text", "")).encode()
            ctype = "text/plain; charset=utf-8"
        ctype = route.get("content_type", ctype)
        self._send(int(route.get("status", 200)), data, ctype, route.get("headers"))

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    do_GET = do_POST = do_HEAD = _handle


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent / "fixtures"))
    parser.add_argument("--routes")
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    routes = json.loads(Path(args.routes).read_text()) if args.routes else []
    server = ThreadingHTTPServer((args.host, 0), Handler)
    server.daemon_threads = True
    server.state = State(Path(args.root), routes)  # type: ignore[attr-defined]
    server.state.base_url = f"http://{args.host}:{server.server_address[1]}"  # type: ignore[attr-defined]
    print(server.state.base_url, flush=True)  # type: ignore[attr-defined]
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
