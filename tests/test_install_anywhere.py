"""Running from anywhere: packaged defaults, standard folders, init, where, and errors that say why."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from pacsjobs.cli import main
from pacsjobs.config import load_config
from pacsjobs.failures import cause_of, group_by_cause, main_cause
from pacsjobs.paths import DEFAULTS, user_config_dir, user_data_dir
from pacsjobs.store import open_store
from pacsjobs.store.urls import DatabaseURLError, mask_password
from tests.helpers import free_port, write_config


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """An empty working folder with no ./config, and no $PACSJOBS_CONFIG."""
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("PACSJOBS_CONFIG", raising=False)
    monkeypatch.delenv("PACSJOBS_DATABASE_URL", raising=False)
    return cwd


# --- where things are ---------------------------------------------------------------------------

def test_no_config_anywhere_is_the_packaged_defaults_with_data_in_the_users_folder(elsewhere):
    config = load_config()
    assert config.places.config is None and config.dir == DEFAULTS
    assert config.database_url == f"sqlite:///{user_data_dir() / 'pacsjobs.db'}"
    assert len(config.enabled_sources()) > 30  # the packaged registry
    assert not list(elsewhere.iterdir())  # loading wrote nothing


def test_a_project_folder_keeps_its_data_beside_its_config_whatever_the_working_folder(tmp_path, elsewhere):
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "config").mkdir()
    (project / "config" / "pacsjobs.toml").write_text('[crawler]\ncontact = "me@example.org"\n')
    config = load_config(project / "config")
    assert config.database_url == f"sqlite:///{project / 'data' / 'pacsjobs.db'}"
    assert config.digest.output_dir == str(project / "data" / "digests")
    assert config.crawler.contact == "me@example.org"
    assert config.crawler.download_delay == 1.0  # the packaged default, key by key


def test_lookup_order_config_env_then_cwd_then_user_folder(tmp_path, elsewhere, monkeypatch):
    user = user_config_dir()
    user.mkdir(parents=True, exist_ok=True)
    try:
        assert load_config().places.config == user
        (elsewhere / "config").mkdir()
        assert load_config().places.config == (elsewhere / "config").resolve()
        env = tmp_path / "env-config"
        env.mkdir()
        monkeypatch.setenv("PACSJOBS_CONFIG", str(env))
        assert load_config().places.config == env.resolve()
        explicit = tmp_path / "explicit"
        explicit.mkdir()
        assert load_config(explicit).places.config == explicit.resolve()
    finally:
        user.rmdir()


def test_where_prints_every_path_and_why(tmp_path, elsewhere):
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    folder = project / "config"
    folder.mkdir()
    (folder / "skills.toml").write_text("")
    result = run("--config", str(folder), "where")
    assert result.exit_code == 0, result.output
    lines = {line.split("  ")[0].strip(): line for line in result.output.splitlines()}
    assert lines["config folder"].endswith(f"{folder}  (--config)")
    assert f"{folder / 'skills.toml'}  (yours, over the packaged default)" in lines["skills.toml"]
    assert f"{DEFAULTS / 'guide.toml'}  (packaged default)" in lines["guide.toml"]
    assert f"{DEFAULTS / 'sources.toml'} + " in lines["sources"]
    assert lines["sources"].endswith(f"files of sources.d/  (packaged registry, {len(load_config(folder).sources)} sources)")
    assert f"{project / 'data'}  (the project's data/ beside config/)" in lines["data folder"]
    assert f"sqlite:///{project / 'data' / 'pacsjobs.db'}" in lines["database"]


def test_where_masks_a_database_password(tmp_path, elsewhere, monkeypatch):
    monkeypatch.setenv("PACSJOBS_DATABASE_URL", "postgresql+psycopg://jobs:s3cret@db.example:5432/pacsjobs")
    result = run("--config", str(write_config(tmp_path / "c")), "where")
    assert "s3cret" not in result.output
    assert "postgresql+psycopg://jobs:***@db.example:5432/pacsjobs  ($PACSJOBS_DATABASE_URL)" in result.output


# --- init ---------------------------------------------------------------------------------------

def test_init_writes_a_commented_starter_and_says_what_to_run_next(tmp_path, elsewhere):
    folder = tmp_path / "mine"
    result = run("init", str(folder), "--contact", "me@example.org")
    assert result.exit_code == 0, result.output
    assert result.output == (f"wrote {folder / 'pacsjobs.toml'}\n"
                             f"next: pacsjobs --config {folder} run\n")
    text = (folder / "pacsjobs.toml").read_text()
    assert 'contact = "me@example.org"' in text and text.startswith("# pacsjobs settings")
    config = load_config(folder)
    assert config.crawler.contact == "me@example.org" and not config.crawler.placeholder_contact
    assert "example" in [p.stem for p in (folder / "profiles").glob("*.toml")]


def test_init_asks_for_the_contact_and_defaults_to_the_user_folder(elsewhere):
    result = run("init", input="me@example.org\n")
    assert result.exit_code == 0, result.output
    assert (user_config_dir() / "pacsjobs.toml").exists()
    assert result.output.endswith(f"wrote {user_config_dir() / 'pacsjobs.toml'}\nnext: pacsjobs run\n")
    assert load_config().places.config == user_config_dir()  # found from anywhere now
    again = run("init", "--contact", "other@example.org")
    assert again.exit_code == 1
    assert again.stderr == (f"error: {user_config_dir() / 'pacsjobs.toml'} already exists "
                            "(use --force to overwrite it)\n")
    assert run("init", "--contact", "other@example.org", "--force").exit_code == 0
    assert load_config().crawler.contact == "other@example.org"


def test_init_refuses_a_contact_nobody_can_reach(tmp_path):
    result = run("init", str(tmp_path / "x"), "--contact", "nobody")
    assert result.exit_code == 1
    assert result.stderr == "error: contact 'nobody' is not an email address or URL people can reach\n"
    assert not (tmp_path / "x" / "pacsjobs.toml").exists()


# --- reading never writes -------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["query"], ["show", "1"], ["stats"], ["export"], ["status"]])
def test_read_commands_never_create_a_database(tmp_path, elsewhere, command):
    folder = tmp_path / "config"
    folder.mkdir()
    (tmp_path / "data").mkdir()
    result = run("--config", str(folder), *command)
    db = tmp_path / "data" / "pacsjobs.db"
    assert result.exit_code == 1
    assert result.stderr == (f"error: no database at {db} yet: run `pacsjobs crawl` (or `pacsjobs run`) "
                             "first, or check --config / [database] url (`pacsjobs where`)\n")
    assert not db.exists() and not list(elsewhere.iterdir())


def test_listing_the_sources_never_creates_a_database(tmp_path, elsewhere):
    folder = tmp_path / "config"
    folder.mkdir()
    (tmp_path / "data").mkdir()
    result = run("--config", str(folder), "sources", "--platform", "workday")
    assert result.exit_code == 0, result.output
    assert "workday:cleveland-clinic" in result.output
    config = load_config(folder)
    workday = [s for s in config.sources if s.platform == "workday"]
    assert result.output.splitlines()[-1] == (f"{len(workday)} of {len(config.sources)} sources, "
                                              f"{sum(s.enabled for s in workday)} enabled")
    assert not (tmp_path / "data" / "pacsjobs.db").exists() and not list(elsewhere.iterdir())


# --- database URL mistakes: one line, URL masked, the fix ------------------------------------------

def test_a_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n")
    with pytest.raises(DatabaseURLError) as err:
        open_store(f"sqlite:///{path}")
    assert str(err.value) == (f"database URL 'sqlite:///{path}': {path} is not a SQLite database "
                              "(point [database] url at another file)")
    assert path.read_text().startswith("these are my notes")


def test_an_unparsable_url_and_an_unknown_backend():
    with pytest.raises(DatabaseURLError, match=r"^database URL 'not a url' cannot be parsed; write it as "):
        open_store("not a url")
    with pytest.raises(DatabaseURLError, match=r"supports sqlite:/// and postgresql\+psycopg:// URLs, not mysql$"):
        open_store("mysql://me:pw@localhost/jobs")


def test_postgresql_without_its_driver(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "psycopg" else real(name, *a))
    with pytest.raises(DatabaseURLError) as err:
        open_store("postgresql://jobs:s3cret@db.example/pacsjobs")
    assert str(err.value) == ("database URL 'postgresql://jobs:***@db.example/pacsjobs' needs the PostgreSQL "
                              "driver: pip install 'pacsjobs[postgres]' (psycopg 3)")


def test_a_postgresql_server_that_does_not_answer_is_one_cli_line(tmp_path, elsewhere, monkeypatch):
    url = f"postgresql+psycopg://jobs:s3cret@127.0.0.1:{free_port()}/pacsjobs?connect_timeout=2"
    monkeypatch.setenv("PACSJOBS_DATABASE_URL", url)
    result = run("--config", str(write_config(tmp_path / "c")), "status")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: cannot connect to the database '{mask_password(url)}': ")
    assert line.endswith("(is the PostgreSQL server running and the URL right?)")
    assert "s3cret" not in result.stderr and "Traceback" not in result.output


def test_sqlite_still_opens_and_creates_on_first_use(tmp_path):
    path = tmp_path / "deep" / "jobs.db"
    with open_store(f"sqlite:///{path}"):
        pass
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


# --- the crawl says why ------------------------------------------------------------------------

def test_failure_causes_in_words():
    assert cause_of("DNSLookupError", "DNS lookup failed: no results for hostname lookup: x") == "dns"
    assert cause_of("ConnectionRefusedError", "") == "refused"
    assert cause_of("HttpError", "Ignoring non-200 response", 404) == "http_404"
    assert cause_of("HttpError", "", 503) == "http_5xx"
    assert cause_of("Whatever", "User timeout caused connection failure") == "timeout"
    assert main_cause({"pacsjobs/cause/dns": 3, "pacsjobs/cause/http_404": 1, "other": 9}) == "dns"
    assert main_cause({}) is None
    lines = group_by_cause([(f"b{i}", "dns") for i in range(35)] + [("x", "http_404"), ("y", None)])
    assert lines == ["35 boards: DNS lookup failed — is this machine online? (b0, b1, b2 (+32 more))",
                     "1 board: HTTP 404 — the board moved or no longer exists (x)"]


def test_a_crawl_of_unreachable_boards_groups_them_by_cause_and_prints_the_log(tmp_path, elsewhere):
    port = free_port()  # nothing listens: connection refused, at once and offline
    sources = [{"name": f"gone-{i}", "platform": "jsonld", "urls": [f"http://127.0.0.1:{port}/jobs/{i}"]}
               for i in range(3)]
    folder = write_config(tmp_path / "config", sources=sources, crawler={"retry_times": 0, "obey_robots": False})
    result = run("--config", str(folder), "crawl", "-q")
    assert result.exit_code == 1
    assert ("3 boards: connection refused — is the site down, or the address wrong? (gone-0, gone-1, gone-2)"
            in result.output.splitlines())
    (log_line,) = [line for line in result.output.splitlines() if line.startswith("log: ")]
    assert (tmp_path / "config").as_posix() in log_line and log_line.endswith(".log")


def test_the_placeholder_contact_is_warned_about_once(tmp_path, elsewhere, server):
    folder = write_config(tmp_path / "config", sources=[{"name": "a", "platform": "jsonld",
                                                        "urls": [f"{server.url}/status/404"]}],
                          crawler={"contact": "pacsjobs-operator@example.org", "retry_times": 0})
    result = run("--config", str(folder), "crawl", "-q")
    assert result.stderr.count("warning: [crawler] contact is still the placeholder") == 1
    quiet = write_config(tmp_path / "config2", sources=[{"name": "a", "platform": "jsonld",
                                                        "urls": [f"{server.url}/status/404"]}])
    assert "placeholder" not in run("--config", str(quiet), "crawl", "-q").stderr


# --- digest --email needs mail settings -----------------------------------------------------------

def test_digest_email_without_mail_settings_names_the_missing_keys(tmp_path, elsewhere):
    folder = write_config(tmp_path / "config")
    result = run("--config", str(folder), "digest", "--email")
    assert result.exit_code == 1
    assert result.stderr == ("error: cannot email the digest: set mail.host, mail.sender, mail.to "
                             f"(or the profile's to) in {folder / 'pacsjobs.toml'} (see `pacsjobs where`)\n")


# --- extract -------------------------------------------------------------------------------------

def test_extract_names_a_directory_and_never_prints_raw_bytes(tmp_path):
    folder = str(write_config(tmp_path / "config"))
    result = run("--config", folder, "extract", "--source", "greenhouse", str(tmp_path))
    assert (result.exit_code, result.stderr) == (1, f"error: {tmp_path} is a directory: name a saved payload file\n")
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b'{"jobs": "\x00\x1b[31m\x07\xff\xfe"}')
    result = run("--config", folder, "extract", "--source", "greenhouse", str(garbage))
    assert result.exit_code == 1
    assert all(ch.isprintable() for ch in result.stderr.rstrip("\n"))
    assert "\x1b" not in result.stderr and "\x00" not in result.stderr
