"""The config loader: defaults, overrides from the environment, one clear error per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacsjobs.config import DEFAULT_DATABASE_URL, load_config
from pacsjobs.errors import ConfigError, SourceError
from pacsjobs.paths import DEFAULTS, user_data_dir
from pacsjobs.store.urls import absolute_sqlite_url
from tests.helpers import REPO_CONFIG, write_config

JSONLD = {"name": "harbor", "platform": "jsonld", "urls": ["https://careers.harbor.example/jobs"],
          "follow": "/job/"}


def error(folder) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(folder)
    return str(info.value)


def test_repo_config_loads():
    config = load_config(REPO_CONFIG)
    assert config.crawler.obey_robots is True
    assert "@" in config.crawler.agent() and config.crawler.agent().startswith("pacsjobs/")


def test_defaults_without_files(tmp_path):
    """An empty config folder is the packaged defaults, with data in the user's data folder."""
    config = load_config(tmp_path)
    data = user_data_dir()
    assert DEFAULT_DATABASE_URL == "sqlite:///pacsjobs.db"
    assert config.database_url == f"sqlite:///{data / 'pacsjobs.db'}"
    assert config.digest.output_dir == str(data / "digests")
    assert (config.crawler.download_delay, config.crawler.time_limit) == (1.0, 3600)
    packaged = load_config(DEFAULTS).sources
    assert [s.name for s in config.sources] == [s.name for s in packaged] and len(packaged) > 30


def test_source_entry(tmp_path):
    config = load_config(write_config(tmp_path, sources=[dict(JSONLD, employer="Harbor Valley Health")]))
    (src,) = config.sources
    assert (src.name, src.platform, src.employer, src.enabled) == ("harbor", "jsonld", "Harbor Valley Health", True)
    assert src.options == {"urls": ["https://careers.harbor.example/jobs"], "follow": "/job/", "sitemap": None}


def test_config_folder_from_environment(tmp_path, monkeypatch):
    write_config(tmp_path, sources=[JSONLD])
    monkeypatch.setenv("PACSJOBS_CONFIG", str(tmp_path))
    assert [s.name for s in load_config().sources] == ["harbor"]


def test_database_url_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PACSJOBS_DATABASE_URL", "sqlite:////tmp/elsewhere.db")
    assert load_config(write_config(tmp_path)).database_url == "sqlite:////tmp/elsewhere.db"


@pytest.mark.parametrize(("url", "expected"), [
    ("sqlite:///pacsjobs.db", "sqlite:////data/home/pacsjobs.db"),
    ("sqlite:///db/jobs.db?timeout=5", "sqlite:////data/home/db/jobs.db?timeout=5"),
    ("sqlite:////srv/jobs.db", "sqlite:////srv/jobs.db"),
    ("sqlite://", "sqlite://"),
    ("sqlite:///:memory:", "sqlite:///:memory:"),
    ("sqlite:///file:jobs.db?mode=ro&uri=true", "sqlite:///file:jobs.db?mode=ro&uri=true"),
    ("postgresql://u:p@db.example.org/jobs", "postgresql://u:p@db.example.org/jobs"),
    ("not a url", "not a url"),
])
def test_a_relative_sqlite_file_lives_in_the_data_folder(url, expected):
    assert absolute_sqlite_url(url, Path("/data/home")) == expected


def test_a_sqlite_file_under_home_expands_the_tilde(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert absolute_sqlite_url("sqlite:///~/jobs.db", Path("/data/home")) == f"sqlite:///{tmp_path / 'jobs.db'}"


def test_missing_folder(tmp_path):
    assert error(tmp_path / "nope") == (f"{tmp_path / 'nope'}: config folder not found "
                                        "(named by --config; `pacsjobs init DIR` writes one)")


def test_invalid_toml_names_file(tmp_path):
    (tmp_path / "pacsjobs.toml").write_text("[crawler\n")
    assert error(tmp_path).startswith(f"{tmp_path / 'pacsjobs.toml'}: invalid TOML: ")


@pytest.mark.parametrize(("crawler", "message"), [
    ({"download_delay": "fast"}, "crawler.download_delay: must be a number, got 'fast'"),
    ({"download_delay": -1.0}, "crawler.download_delay: must not be negative"),
    ({"concurrency_per_domain": 0}, "crawler.concurrency_per_domain: must be at least 1"),
    ({"contact": "nobody"}, "crawler.contact: must be an email address or URL people can reach"),
    ({"obey_robots": "yes"}, "crawler.obey_robots: must be true or false, got 'yes'"),
    ({"speed": 3}, "crawler.speed: unknown key"),
])
def test_crawler_errors_name_file_and_key(tmp_path, crawler, message):
    assert error(write_config(tmp_path, crawler=crawler)) == f"{tmp_path / 'pacsjobs.toml'}: {message}"


def test_password_never_from_a_file(tmp_path):
    message = error(write_config(tmp_path, mail={"password": "hunter2"}))
    assert message.endswith("mail.password: passwords are read only from $PACSJOBS_SMTP_PASSWORD, never from a file")


@pytest.mark.parametrize(("entries", "message"), [
    ([JSONLD, JSONLD], "sources[harbor].name: is used by more than one source"),
    ([dict(JSONLD, platform="myspace")], "sources[harbor].platform: unknown platform 'myspace'"),
    ([dict(JSONLD, follow="([")], "sources[harbor].follow: invalid regular expression '(['"),
    ([dict(JSONLD, urls=["careers.harbor.example"])], "sources[harbor].urls: must be an http(s) URL"),
    ([{"name": "bare", "platform": "jsonld"}], "sources[bare].urls: a jsonld source needs urls or a sitemap"),
    ([dict(JSONLD, name="has space")], "sources[0].name: 'has space' may hold only letters"),
    ([dict(JSONLD, enabled="no")], "sources[harbor].enabled: must be true or false, got 'no'"),
])
def test_source_errors(tmp_path, entries, message):
    assert error(write_config(tmp_path, sources=entries)).startswith(f"{tmp_path / 'sources.toml'}: {message}")


def test_unknown_source_lists_known(tmp_path):
    config = load_config(write_config(tmp_path, sources=[JSONLD]))
    with pytest.raises(SourceError) as info:
        config.source("nope")
    assert str(info.value) == "unknown source 'nope' (known: harbor)"


def test_shared_config_reads_a_folder_once_per_process_and_sees_changes(tmp_path, monkeypatch):
    import os

    from pacsjobs import config as config_module

    folder = write_config(tmp_path / "shared", sources=[JSONLD])
    calls = []
    real = config_module.load_config
    monkeypatch.setattr(config_module, "load_config", lambda d=None: calls.append(d) or real(d))
    first = config_module.shared_config(folder)
    second = config_module.shared_config(folder)
    assert len(calls) == 1 and [s.name for s in second.sources] == ["harbor"]
    second.database_url = "sqlite:///elsewhere.db"  # a spider's own change stays its own
    second.sources.clear()
    assert config_module.shared_config(folder).database_url == first.database_url
    assert [s.name for s in config_module.shared_config(folder).sources] == ["harbor"]
    sources = folder / "sources.toml"
    sources.write_text(sources.read_text().replace('name = "harbor"', 'name = "harbor2"'))
    os.utime(sources, ns=(1, 1))
    assert [s.name for s in config_module.shared_config(folder).sources] == ["harbor2"] and len(calls) == 2
