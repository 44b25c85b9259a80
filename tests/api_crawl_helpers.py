"""Shared by the USAJOBS / Workday / Oracle end-to-end tests: crawl through the local server, read the DB."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pacsjobs.config import Config, load_config
from tests.helpers import write_config

try:  # the crawl runner and the store come from other parts of the project
    from pacsjobs.crawl import run_crawl
    from pacsjobs.store import open_store
    from pacsjobs.store.models import PostingRow
except ImportError as exc:  # pragma: no cover - only while those modules are missing
    pytest.skip(f"crawl runner or store missing: {exc}", allow_module_level=True)


def make_config(tmp_path: Path, sources: list[dict[str, Any]], name: str = "cfg") -> Config:
    return load_config(write_config(tmp_path / name, sources=sources))


def crawl(config: Config, tmp_path: Path, names: list[str]) -> dict[str, Any]:
    """Run one crawl; the results by source name."""
    return {r.source: r for r in run_crawl(config, names, log_dir=tmp_path / "logs")}


def rows(config: Config, source: str) -> dict[str, PostingRow]:
    with open_store(config.database_url) as store, store.session() as session:
        found = session.scalars(select(PostingRow).where(PostingRow.source == source)).all()
        for row in found:
            session.expunge(row)
        return {r.source_id: r for r in found}


def api_requests(server: Any, prefix: str, method: str | None = None) -> list[dict]:
    """The logged requests under ``prefix`` (robots.txt and the like left out)."""
    return [
        r
        for r in server.log()
        if r["path"].startswith(prefix) and (method is None or r["method"] == method)
    ]


def crawl_log(tmp_path: Path) -> str:
    return "\n".join(p.read_text() for p in sorted((tmp_path / "logs").glob("*.log")))
