"""Real Scrapyd processes on loopback ports for the cluster tests and benchmark."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.helpers import free_port

ROOT = Path(__file__).resolve().parent.parent

CONF = """[scrapyd]
eggs_dir = eggs
logs_dir = logs
items_dir =
jobs_to_keep = 100
dbs_dir = dbs
max_proc = {max_proc}
poll_interval = 0.2
finished_to_keep = 500
"""



class ScrapydProcess:
    """``scrapyd`` in a folder of its own, bound to 127.0.0.1 on a free port, in its own session
    (so ``kill()`` takes its running crawls with it, as a machine dying would)."""

    def __init__(self, folder: Path, max_proc: int = 4, env: dict[str, str] | None = None):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "scrapyd.conf").write_text(CONF.format(max_proc=max_proc))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        child_env = dict(env or os.environ)
        child_env.update(SCRAPYD_HTTP_PORT=str(self.port), SCRAPYD_BIND_ADDRESS="127.0.0.1")
        # the node runs this checkout's pacsjobs, as a node has the same version installed
        child_env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), str(ROOT),
                                                              child_env.get("PYTHONPATH")) if p)
        self.log = open(folder / "scrapyd.out", "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=folder, env=child_env,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"scrapyd exited ({self.proc.returncode})")
            try:
                with urllib.request.urlopen(f"{self.url}/daemonstatus.json", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("scrapyd did not start")

    def kill(self) -> None:
        """kill -9 of the node and every crawl it runs."""
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.kill()
        self.log.close()
