"""Helpers for tests that need a config folder of their own."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path
from typing import Any

REPO_CONFIG = Path(__file__).resolve().parent.parent / "config"


def toml_value(value: Any) -> str:
    """A TOML literal for str / bool / number / list / dict (enough for test configs)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {value!r} as TOML")


def write_config(folder: Path, sources: list[dict[str, Any]] | None = None, database_url: str | None = None,
                 **sections: dict[str, Any]) -> Path:
    """Write a config folder for a test: the repo's guide/skills/profiles, plus the given settings.

    ``sections`` are tables of pacsjobs.toml (``crawler={...}``, ``mail={...}``). Crawls default to no
    delay and no AutoThrottle, so tests against the local server run fast.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("guide.toml", "skills.toml"):
        if (REPO_CONFIG / name).exists():
            shutil.copy(REPO_CONFIG / name, folder / name)
    if (REPO_CONFIG / "profiles").is_dir():
        shutil.copytree(REPO_CONFIG / "profiles", folder / "profiles", dirs_exist_ok=True)
    tables: dict[str, dict[str, Any]] = {
        "database": {"url": database_url or f"sqlite:///{folder / 'pacsjobs.db'}"},
        "crawler": {"contact": "tests@example.org", "download_delay": 0.0, "autothrottle": False,
                    "retry_times": 2, "timeout": 10.0, "max_retry_after": 5.0, "time_limit": 120},
        "digest": {"output_dir": str(folder / "digests")},
    }
    for name, table in sections.items():
        tables.setdefault(name, {}).update(table)
    lines: list[str] = []
    for name, table in tables.items():
        lines.append(f"[{name}]")
        lines += [f"{key} = {toml_value(value)}" for key, value in table.items()]
        lines.append("")
    (folder / "pacsjobs.toml").write_text("\n".join(lines))
    src_lines: list[str] = []
    for entry in sources or []:
        src_lines.append("[[sources]]")
        src_lines += [f"{key} = {toml_value(value)}" for key, value in entry.items()]
        src_lines.append("")
    (folder / "sources.toml").write_text("\n".join(src_lines))
    return folder


def free_port() -> int:
    """A loopback port nothing listens on now (for servers to bind, or refused connections)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def json_query(cfg: Path, by_id: dict[int, str]) -> Any:
    """``invoke(*args)``: run the CLI on ``cfg`` and return the sorted source ids of its JSON answer
    (``by_id``: database id -> source id); ``invoke.raw(*args)`` returns the click result itself."""
    from click.testing import CliRunner

    from pacsjobs.cli import main

    runner = CliRunner()

    def invoke(*args: str) -> list[str]:
        result = runner.invoke(main, ["--config", str(cfg), *args], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        return sorted(by_id[p["id"]] for p in json.loads(result.stdout))

    invoke.raw = lambda *a: runner.invoke(main, ["--config", str(cfg), *a])  # type: ignore[attr-defined]
    return invoke
