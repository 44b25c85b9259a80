"""Large boards for the concurrency and kill tests, cloned from the real-format fixtures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FIX = Path(__file__).resolve().parent.parent / "fixtures"
GREENHOUSE = "/v1/boards/meridianimaging/jobs"
LEVER = "/v0/postings/northstar-rad"
ROOT = Path(__file__).resolve().parents[2]
PACSJOBS = [sys.executable, "-c", "from pacsjobs.cli import main; main()"]


def greenhouse_board(count: int) -> dict[str, Any]:
    """A Greenhouse listing of ``count`` jobs, ids and titles made unique."""
    templates = json.loads((FIX / "greenhouse" / "board.json").read_text())["jobs"]
    jobs = []
    for i in range(count):
        job = dict(templates[i % len(templates)])
        job["id"] = 5_000_000_000 + i
        job["title"] = f"{job['title']} ({i})"
        job["absolute_url"] = f"https://careers.meridian-imaging.example/open-roles?gh_jid={job['id']}"
        jobs.append(job)
    return {"jobs": jobs, "meta": {"total": count}}


def greenhouse_route(prefix: str, count: int, **route: Any) -> dict[str, Any]:
    return {"path": f"{prefix}{GREENHOUSE}", "query": {"content": "true", "pay_transparency": "true"},
            "text": json.dumps(greenhouse_board(count)), "content_type": "application/json", **route}


def lever_routes(prefix: str, count: int, page_size: int, **route: Any) -> list[dict[str, Any]]:
    """A Lever site of ``count`` postings in pages of ``page_size`` (the last one short)."""
    templates = json.loads((FIX / "lever" / "postings_skip0.json").read_text())
    postings = []
    for i in range(count):
        posting = dict(templates[i % len(templates)])
        posting["id"] = f"00000000-0000-4000-8000-{i:012d}"
        posting["text"] = f"{posting['text']} ({i})"
        posting["hostedUrl"] = f"https://jobs.lever.co/northstar-rad/{posting['id']}"
        postings.append(posting)
    pages = range(0, count + 1, page_size)  # a full last page is followed by an empty one
    return [{"path": f"{prefix}{LEVER}", "query": {"mode": "json", "skip": skip, "limit": page_size},
             "text": json.dumps(postings[skip:skip + page_size]), "content_type": "application/json", **route}
            for skip in pages]


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PACSJOBS_DATABASE_URL", "PACSJOBS_CONFIG")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


def start_cli(folder: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    """``pacsjobs --config FOLDER ARGS`` in a process of its own (its own session: killable as a tree)."""
    return subprocess.Popen([*PACSJOBS, "--config", str(folder), *args], env=cli_env(**env), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the processes whose parent is ``pid`` (Linux /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append((int(entry.name), cmdline))
    return out


def wait_for(check: Callable[[], Any], timeout: float = 60.0, every: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s: {check}")
