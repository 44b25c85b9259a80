"""Start and drive the mock server from tests."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

SERVER = Path(__file__).with_name("server.py")


class MockServer:
    """The mock server in a child process; ``url`` is its base URL."""

    def __init__(self, root: Path, host: str = "127.0.0.1"):
        self.proc = subprocess.Popen([sys.executable, str(SERVER), "--root", str(root), "--host", host],
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith(f"http://{host}:"):
            self.proc.kill()
            raise RuntimeError("mock server did not start")

    def _post(self, path: str, data: object = None) -> None:
        req = urllib.request.Request(self.url + path, data=json.dumps(data).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=10).read()

    def routes(self, routes: list[dict]) -> None:
        """Replace the routes (and keep the log)."""
        self._post("/__routes", routes)

    def reset(self) -> None:
        self._post("/__reset")

    def log(self) -> list[dict]:
        with urllib.request.urlopen(self.url + "/__log", timeout=10) as resp:
            return json.loads(resp.read())

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
