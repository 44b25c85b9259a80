"""``pacsjobs crawl`` and ``pacsjobs run`` through click's CliRunner, against the local server."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pacsjobs.cli import main
from tests.helpers import write_config

LISTING = "/jsonld/site/careers.html"


def harbor(server) -> dict:
    return {"name": "harbor", "platform": "jsonld", "employer": "Harbor Valley Health",
            "urls": [server.url + LISTING], "follow": "/jobs/"}


def invoke(folder: Path, *args: str):
    return CliRunner().invoke(main, ["--config", str(folder), *args])


def table_row(output: str, source: str) -> list[str]:
    """The cells of ``source``'s row in the rich table."""
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if cells and cells[0] == source:
            return cells
    raise AssertionError(f"no row for {source} in:\n{output}")


def test_crawl_table_and_failed_source_exit_code(tmp_path, server):
    folder = write_config(tmp_path / "config", sources=[
        harbor(server),
        {"name": "gone", "platform": "jsonld", "urls": [server.url + "/status/500"]}])
    result = invoke(folder, "crawl", "-q")
    assert result.exit_code == 1, result.output
    assert table_row(result.stdout, "harbor") == ["harbor", "5", "3", "3", "0", "0", "0", "0", "succeeded"]
    gone = table_row(result.stdout, "gone")
    assert gone[0] == "gone" and gone[-1] == "failed"
    assert f"gone: failed: incomplete: request failed: {server.url}/status/500" in result.stdout.splitlines()
    for header in ("requests", "found", "new", "updated", "unchanged", "closed", "errors", "status"):
        assert header in result.stdout


def test_run_crawls_then_writes_the_digest(tmp_path, server):
    folder = write_config(tmp_path / "config", sources=[harbor(server)])
    result = invoke(folder, "run", "-q")
    assert result.exit_code == 0, result.output
    assert table_row(result.stdout, "harbor")[-1] == "succeeded"
    line = next(x for x in result.stdout.splitlines() if x.startswith("digest: "))
    path = Path(line.rsplit(" -> ", 1)[1])
    assert path.is_file() and path.parent == folder / "digests"
    assert "PACS Administrator" in path.read_text()


def test_unknown_source(tmp_path, server):
    folder = write_config(tmp_path / "config", sources=[harbor(server)])
    result = invoke(folder, "crawl", "nope")
    assert result.exit_code == 1
    assert result.stderr == "error: unknown source 'nope' (known: harbor)\n"


def test_bad_config_one_line(tmp_path, server):
    folder = write_config(tmp_path / "config", sources=[dict(harbor(server), follow="([")])
    result = invoke(folder, "crawl")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"error: {folder / 'sources.toml'}: sources[harbor].follow: invalid regular expression '(['")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output


def test_invalid_toml(tmp_path):
    folder = write_config(tmp_path / "config")
    (folder / "pacsjobs.toml").write_text("[crawler\ncontact = 1\n")
    result = invoke(folder, "crawl")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {folder / 'pacsjobs.toml'}: invalid TOML: ")


def test_no_enabled_sources(tmp_path, server):
    folder = write_config(tmp_path / "config", sources=[dict(harbor(server), enabled=False)])
    result = invoke(folder, "crawl")
    assert result.exit_code == 1
    assert result.stderr == f"error: no enabled sources in {folder / 'sources.toml'}\n"
