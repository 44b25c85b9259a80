"""``query``, ``show``, ``stats``, ``export`` and ``browse`` through the CLI runner."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from pacsjobs.cli import main
from pacsjobs.cli import query as query_cli
from pacsjobs.record import Posting
from pacsjobs.store.models import PostingRow
from tests.helpers import write_config
from tests.test_search import CORPUS, NOW

store_mod = pytest.importorskip("pacsjobs.store", reason="pacsjobs.store (store helper) not present")


def make_cli(tmp_path, db_url):
    """Run pacsjobs against a config whose database holds the search corpus."""
    cfg = write_config(tmp_path / "cfg", database_url=db_url)
    with store_mod.open_store(db_url) as store:
        counts = store.upsert_postings(CORPUS, now=NOW - timedelta(days=30))
        ids = dict(zip([p.source_id for p in CORPUS], counts.ids, strict=True))
        with store.engine.begin() as conn:
            conn.execute(update(PostingRow).where(PostingRow.id == ids["5"]).values(closed_at=NOW))
            conn.execute(update(PostingRow).where(PostingRow.id == ids["6"])
                         .values(first_seen_at=NOW - timedelta(days=1)))
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, ["--config", str(cfg), *args], env={"COLUMNS": "200"})

    run.ids = ids  # type: ignore[attr-defined]
    run.cfg = cfg  # type: ignore[attr-defined]
    run.db_url = db_url  # type: ignore[attr-defined]
    run.db_path = db_url.removeprefix("sqlite:///")  # type: ignore[attr-defined]
    return run


@pytest.fixture
def cli(tmp_path, db_url):
    return make_cli(tmp_path, db_url)


@pytest.fixture
def sqlite_cli(tmp_path, sqlite_url):
    return make_cli(tmp_path, sqlite_url)


def ids_of(cli, result) -> list[str]:
    """The corpus source_ids of a --format json result, in order."""
    assert result.exit_code == 0, result.output
    by_id = {v: k for k, v in cli.ids.items()}
    return [by_id[p["id"]] for p in json.loads(result.stdout)]


def test_query_table(cli):
    result = cli("query")
    assert result.exit_code == 0, result.output
    lines = [x for x in result.stdout.splitlines() if "│" in x]
    assert [line.split("│")[0].strip() for line in lines] == [str(cli.ids[s]) for s in ("3", "1", "2", "6")]
    row = next(line for line in lines if "PACS Administrator" in line)
    assert [c.strip() for c in row.split("│")][1:] == ["PACS Administrator", "Cleveland Clinic", "Cleveland, OH",
                                                       "$85,000–$100,000", (NOW.date() - timedelta(days=2)).isoformat()]
    assert result.stderr == "4 postings\n"


QUERY_CASES = [
    (["dicom"], ["1", "3"]),
    (["dicom", "--include-closed"], ["1", "3", "5"]),
    (["pacs", "-senior"], ["1", "6"]),
    (['"imaging informatics"'], ["2"]),
    (["--state", "OH", "--state", "tx", "--include-closed"], ["1", "2", "5", "6"]),
    (["--city", "cleveland"], ["1", "6"]),
    (["--remote"], ["3"]),
    (["--employer", "CLINIC"], ["1"]),
    (["--source", "greenhouse"], ["3"]),
    (["--source", "usajobs"], ["6"]),
    (["--skill", "hl7", "--skill", "dicom"], ["1"]),
    (["--min-salary", "95k"], ["3", "1"]),
    (["--min-salary", "85,000", "--state", "OH"], ["1", "2"]),  # 2 pays up to 90,000
    (["--all", "--state", "TX"], ["4"]),
    (["--limit", "1"], ["3"]),
]


def test_query_options(cli):
    for args, expected in QUERY_CASES:
        found = ids_of(cli, cli("query", *args, "--format", "json"))
        if args[0] in ("dicom", "pacs"):  # text: ranked, compare as sets
            assert sorted(found) == sorted(expected), args
        else:
            assert found == expected, args


def test_query_unknown_long_option(cli):
    result = cli("query", "dicom", "--stat", "OH")
    assert result.exit_code == 1 and result.stderr == "error: no such option: --stat (see --help)\n"


def test_query_posted_within(cli):
    # the corpus is dated relative to NOW; --posted-within counts from the real clock
    age = (date.today() - NOW.date()).days
    found = ids_of(cli, cli("query", "--posted-within", f"{age + 7}d", "--format", "json"))
    assert found == ["3", "1", "6"]  # 2 was posted 20 days before NOW; 6 (no date) first seen 1 day before
    assert ids_of(cli, cli("query", "--posted-within", f"{(age + 25) * 24}h", "--format", "json")) == \
        ["3", "1", "2", "6"]


def test_query_formats(cli):
    as_json = json.loads(cli("query", "--format", "json").stdout)
    jsonl = [json.loads(line) for line in cli("query", "--format", "jsonl").stdout.splitlines()]
    assert as_json == jsonl and len(jsonl) == 4
    assert jsonl[0]["title"] == "Senior PACS Engineer" and jsonl[0]["skills"] == ["DICOM", "Linux"]
    rows = list(csv.DictReader(io.StringIO(cli("query", "--format", "csv").stdout)))
    assert [r["id"] for r in rows] == [str(p["id"]) for p in as_json]
    assert rows[0]["skills"] == '["DICOM", "Linux"]' and rows[0]["salary_annual_max"] == "130000.0"


def test_query_with_profile_sorts_by_match(cli):
    pytest.importorskip("pacsjobs.understand.match", reason="pacsjobs.understand.match (match helper) not present")
    data = json.loads(cli("query", "--profile", "guide", "--format", "json").stdout)
    scores = [p["match_score"] for p in data]
    assert len(data) == 4 and scores == sorted(scores, reverse=True)
    assert all(p["match_reasons"] for p in data)
    table = cli("query", "--profile", "guide")
    assert "score" in table.stdout.splitlines()[0]
    header = cli("query", "--profile", "guide", "--format", "csv").stdout.splitlines()[0]
    assert header.endswith(",match_score,match_reasons")


@pytest.mark.parametrize("args, message", [
    (["--state", "XX"], "error: unknown state 'XX': use a two-letter USPS code such as OH or TX\n"),
    (["--posted-within", "7x"], "error: invalid duration '7x': use a number and h, d or w, e.g. 12h, 7d, 2w\n"),
    (["--min-salary", "lots"], "error: invalid amount 'lots': use annual US dollars, e.g. 80000 or 80k\n"),
    (["--", "-dicom"], "error: invalid search '-dicom': an excluded word (-word) needs a word to search for\n"),
    (["???"], "error: invalid search '???': no words to search for\n"),
    (["--profile", "nobody"], "error: unknown profile 'nobody' (known: guide, remote-ohio)\n"),
])
def test_query_bad_input_is_one_line(cli, args, message):
    result = cli("query", *args)
    assert result.exit_code == 1
    assert result.stderr == message


def test_show(cli):
    original, copy = cli.ids["1"], cli.ids["6"]
    with store_mod.open_store(cli.db_url) as store, store.engine.begin() as conn:
        conn.execute(update(PostingRow).where(PostingRow.id == copy).values(duplicate_of=original))
    result = cli("show", str(original))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"#{original}  PACS Administrator\nCleveland Clinic · Cleveland, OH\n"
                          "https://jobs.example.org/1\n")
    assert "salary_annual_max     100000.0" in out and "skills                DICOM, HL7, PACS" in out
    assert "\ndescription\n  Administer the PACS; troubleshoot DICOM routing and HL7 interfaces.\n" in out
    assert f"  first seen   {NOW - timedelta(days=30)}" in out and "  closed       no, still open" in out
    assert f"    #{copy}  usajobs  https://jobs.example.org/6" in out
    if "match against profile 'guide'" in out:  # with the match module: each component's line
        assert "  component" in out and "salary" in out
    else:
        assert "match (guide): not available" in out
    data = json.loads(cli("show", str(copy), "--format", "json").stdout)
    assert data["posting"]["duplicate_of"] == original
    assert [d["id"] for d in data["duplicates"]] == [original]


def test_show_match_breakdown(cli):
    pytest.importorskip("pacsjobs.understand.match", reason="pacsjobs.understand.match (match helper) not present")
    data = json.loads(cli("show", str(cli.ids["1"]), "--format", "json").stdout)
    names = [c["name"] for c in data["match"]["components"]]
    assert "salary" in names and "skills" in names
    salary = next(c for c in data["match"]["components"] if c["name"] == "salary")
    assert salary["score"] == 1.0 and "inside the guide range" in salary["reason"]
    text = cli("show", str(cli.ids["1"])).stdout
    assert f"match against profile 'guide': {data['match']['score']:.0f} of 100" in text


def test_show_unknown_id(cli):
    result = cli("show", "999999")
    assert result.exit_code == 1 and result.stderr == "error: no posting with id 999999\n"


def test_stats(cli):
    data = json.loads(cli("stats", "--format", "json").stdout)
    assert data["open_total"] == 4
    assert data["by_state"] == [{"state": "OH", "count": 3}, {"state": None, "count": 1}]
    assert data["pay"]["guide_min"] == 80615 and data["pay"]["count"] == 4
    skills = {s["skill"]: s for s in data["skills"]}
    assert skills["HL7"]["count"] == 3 and skills["HL7"]["in_profile"] is True
    table = cli("stats")
    assert table.exit_code == 0, table.output
    assert table.stdout.startswith("4 open PACS postings")
    assert "against the guide's $80,615–$100,189: " in table.stdout
    everything = json.loads(cli("stats", "--all", "--format", "json").stdout)
    assert everything["open_total"] == 5


def test_export_everything_as_csv(cli, tmp_path):
    with store_mod.open_store(cli.db_url) as store:
        store.upsert_postings([Posting(source="jsonld:x", source_id="evil", url="https://e.org/evil",
                                       title="=HYPERLINK(\"http://evil\")", employer="@SUM(1)")])
    out = tmp_path / "all.csv"
    result = cli("export", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"exported 7 postings to {out}\n"
    rows = list(csv.DictReader(out.open(newline="")))
    assert len(rows) == 7 and {r["source_id"] for r in rows} == {"1", "2", "3", "4", "5", "6", "evil"}
    evil = next(r for r in rows if r["source_id"] == "evil")
    assert evil["title"] == "'=HYPERLINK(\"http://evil\")" and evil["employer"] == "'@SUM(1)"


def test_export_a_query_as_json(cli):
    result = cli("export", "--format", "json", "--state", "OH", "--include-closed")
    assert ids_of(cli, result) == ["1", "2", "6"]
    lines = cli("export", "--format", "jsonl", "dicom").stdout.splitlines()
    assert sorted(json.loads(x)["source_id"] for x in lines) == ["1", "3"]
    empty = cli("export", "--format", "csv", "--state", "WY")
    assert empty.stdout.startswith("source,source_id,url,title,")


def test_browse_refuses_postgres(tmp_path, pg_url):
    result = make_cli(tmp_path, pg_url)("browse")
    assert result.exit_code == 1
    assert result.stderr == ("error: browse works with SQLite databases only; this one is postgresql "
                             "(use `pacsjobs query` or a PostgreSQL client)\n")


def test_browse_without_datasette(sqlite_cli, monkeypatch):
    monkeypatch.setattr(query_cli.importlib.util, "find_spec", lambda name: None)
    result = sqlite_cli("browse")
    assert result.exit_code == 1
    assert result.stderr == "error: browse needs Datasette: pip install 'pacsjobs[browse]'\n"


def test_browse_runs_datasette_read_only(sqlite_cli, monkeypatch):
    seen = {}

    def fake_call(cmd):
        seen["cmd"] = cmd
        with open(cmd[cmd.index("--metadata") + 1]) as fh:
            seen["metadata"] = json.loads(fh.read())
        return 0

    monkeypatch.setattr(query_cli.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(query_cli.subprocess, "call", fake_call)
    monkeypatch.setattr("importlib.metadata.version", lambda name: "0.65.1")
    result = sqlite_cli("browse", "--port", "8123", "--no-open")
    assert result.exit_code == 0, result.output
    db = sqlite_cli.db_path
    assert seen["cmd"][1:6] == ["-m", "datasette", "serve", db, "--metadata"]
    assert seen["cmd"][-4:] == ["--host", "127.0.0.1", "--port", "8123"]
    assert set(seen["metadata"]["databases"]["pacsjobs"]["queries"]) == set(query_cli.CANNED_QUERIES)


def test_datasette_command_for_1x():
    from pathlib import Path

    cmd = query_cli.datasette_command(Path("/d/jobs.db"), Path("/t/c.json"), 8001, True, "1.0a19")
    assert "--config" in cmd and "--metadata" not in cmd and cmd[-1] == "--open"


def test_canned_queries_run(sqlite_cli):
    conn = sqlite3.connect(sqlite_cli.db_path)
    q = query_cli.CANNED_QUERIES
    by_state = conn.execute(q["open_pacs_roles_by_state"]["sql"], {"state": "oh"}).fetchall()
    assert sorted(r[0] for r in by_state) == sorted(sqlite_cli.ids[s] for s in ("1", "2", "6"))
    assert conn.execute(q["open_pacs_roles_per_state"]["sql"]).fetchall() == [("OH", 3), ("(none)", 1)]
    assert [r[0] for r in conn.execute(q["best_paid"]["sql"])] == [sqlite_cli.ids[s] for s in ("3", "1", "2", "6")]
    assert conn.execute(q["new_this_week"]["sql"]).fetchall() == []  # the corpus is older than a week
    conn.close()


def test_docs_list_every_query_option():
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "querying.md").read_text()
    for command in ("query", "show", "stats", "export", "browse"):
        assert f"pacsjobs {command}" in doc
        for param in main.commands[command].params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert f"`{opt}" in doc, f"docs/querying.md does not mention {command} {opt}"
