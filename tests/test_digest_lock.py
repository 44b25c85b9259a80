"""One digest of a profile at a time: two started together send the postings once, not twice.

Real parts: an SMTP server on 127.0.0.1 (aiosmtpd), a SQLite file and the local PostgreSQL.
"""

from __future__ import annotations

import threading
import time

import pytest

from pacsjobs.config import load_config
from pacsjobs.digest import run_digest
from pacsjobs.store import open_store
from pacsjobs.store.locks import LockTimeout, held, lock_path
from tests.digest_helpers import NOW, add, posting, smtp_server
from tests.helpers import write_config

MAIL = {"security": "none", "sender": "digest@example.org", "to": ["seeker@example.org"], "timeout": 2.0}


def _config(tmp_path, url, port):
    return load_config(write_config(tmp_path / "config", database_url=url,
                                    digest={"output_dir": str(tmp_path / "digests")},
                                    mail={**MAIL, "host": "127.0.0.1", "port": port}))


def test_two_digests_at_once_send_each_posting_once(tmp_path, db_url):
    with smtp_server() as (server, inbox):
        cfg = _config(tmp_path, db_url, server.port)
        add(cfg.database_url, [posting("one", title="PACS Administrator"), posting("two", title="PACS Analyst")])
        results = []
        with open_store(cfg.database_url) as store, held(store, "digest-guide"):
            # Both start while the lock is taken (as if a third run were sending): neither may send.
            runs = [threading.Thread(target=lambda: results.append(run_digest(cfg, email=True, now=NOW)))
                    for _ in range(2)]
            for run in runs:
                run.start()
            time.sleep(0.5)
            assert inbox.envelopes == [] and results == []
        for run in runs:
            run.join(timeout=60)
    assert len(inbox.envelopes) == 1  # the second found the postings already sent
    assert sorted(r.count for r in results) == [0, 2]
    assert [r.email_sent for r in sorted(results, key=lambda r: r.count)] == [False, True]


def test_a_dry_run_does_not_wait(tmp_path, sqlite_url):
    cfg = _config(tmp_path, sqlite_url, 25)
    add(cfg.database_url, [posting("one", title="PACS Administrator")])
    with open_store(cfg.database_url) as store, held(store, "digest-guide"):
        result = run_digest(cfg, email=True, dry_run=True, now=NOW)
    assert result.count == 1 and not result.email_sent


def test_lock_wait_is_bounded(tmp_path, db_url):
    with open_store(db_url) as first, open_store(db_url) as second:
        with held(first, "digest-guide"), pytest.raises(LockTimeout) as info, held(second, "digest-guide",
                                                                                   timeout=0.3):
            pass
        assert "digest-guide" in str(info.value)
        with held(second, "digest-guide", timeout=0.3), held(first, "digest-other", timeout=0.3):
            pass  # released, and other names are other locks


def test_lock_file_sits_beside_the_database(tmp_path):
    assert lock_path(str(tmp_path / "pacsjobs.db"), "digest-remote ohio") == tmp_path / "pacsjobs.db.digest-remote_ohio.lock"
