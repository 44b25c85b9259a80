"""The digest's source health says a crawl died exactly when ``pacsjobs status`` does.

A run left ``running`` by a process that is gone (kill -9, a reboot) is no crawl in progress:
its source should be looked at. A run whose process lives is still running.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from click.testing import CliRunner

from pacsjobs.cli import main
from pacsjobs.config import load_config
from pacsjobs.digest import run_digest
from pacsjobs.store import open_store
from tests.digest_helpers import NOW, Page, add, config_dir, posting, smtp_server

MAIL = {"security": "none", "sender": "pacsjobs <digest@example.org>", "to": ["seeker@example.org"],
        "timeout": 2.0}


def dead_pid() -> int:
    """The pid of a process that has run, exited and been reaped."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _health_lines(text: str) -> dict[str, str]:
    """Source name -> its line in the plain-text digest's "Source health" section."""
    section = text.split("== Source health ==", 1)[1]
    return {m.group(1): m.group(2) for m in re.finditer(r"^  (\S+): (.+)$", section, re.M)}


def _rows(words: str, *names: str) -> list[str]:
    """Each name's row of the health table: from the name to the next name (or 200 characters)."""
    starts = {name: words.index(name) for name in names}

    def end(name: str) -> int:
        return min((at for at in starts.values() if at > starts[name]), default=starts[name] + 200)

    return [words[starts[name]:end(name)] for name in names]


def test_a_dead_crawl_shows_died_and_a_live_one_running(tmp_path):
    with smtp_server() as (server, inbox):
        cfg = load_config(config_dir(tmp_path, mail={**MAIL, "host": "127.0.0.1", "port": server.port},
                                     send_empty=True))
        add(cfg.database_url, [posting("fit", title="PACS Administrator")])
        with open_store(cfg.database_url) as store:
            store.start_run("lever:gone", pid=dead_pid(), now=NOW)
            store.start_run("lever:alive", pid=os.getpid(), now=NOW)
        result = run_digest(cfg, email=True, now=NOW)
    assert result.email_sent
    msg = inbox.messages()[0]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    page = result.html_path.read_text()

    lines = _health_lines(text)
    assert lines["lever:gone"].startswith("died,") and "CHECK: last crawl died" in lines["lever:gone"]
    assert lines["lever:alive"].startswith("running,") and "last crawl died" not in lines["lever:alive"]
    for rendered in (html, page):
        words = " ".join(Page(rendered).all_text().split())
        gone, alive = _rows(words, "lever:gone", "lever:alive")
        assert "died" in gone and "last crawl died" in gone, gone
        assert "running" in alive and "died" not in alive, alive

    # `pacsjobs status` decides the same for the same runs
    status = CliRunner().invoke(main, ["--config", str(cfg.dir), "status"], env={"COLUMNS": "200"})
    assert status.exit_code == 0, status.output
    rows = {line.split()[0]: line for line in status.output.splitlines() if line.strip().startswith("lever:")}
    assert " died " in rows["lever:gone"] and " running " in rows["lever:alive"]
