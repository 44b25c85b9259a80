"""Sources come from sources.toml and then sources.d/*.toml in name order; names are unique across files."""

from __future__ import annotations

import pytest

from pacsjobs.config import load_config
from pacsjobs.errors import ConfigError
from tests.helpers import toml_value, write_config

BOARD = "https://ccf.wd1.myworkdayjobs.com/ClevelandClinicCareers"


def write_sources(path, entries):
    lines = []
    for entry in entries:
        lines.append("[[sources]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in entry.items()]
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))


def test_sources_d_files_load_after_sources_toml_in_name_order(tmp_path):
    cfg = write_config(tmp_path, sources=[{"name": "first", "platform": "greenhouse", "board": "a"}])
    write_sources(cfg / "sources.d" / "b-lever.toml", [{"name": "third", "platform": "lever", "site": "c"}])
    write_sources(cfg / "sources.d" / "a-ashby.toml", [
        {"name": "second", "platform": "ashby", "org": "b", "state": "OH", "group": "vendors",
         "evidence": "seen at https://jobs.ashbyhq.com/b"}])
    (cfg / "sources.d" / "notes.txt").write_text("not a sources file")
    config = load_config(cfg)
    assert [s.name for s in config.sources] == ["first", "second", "third"]
    second = config.source("second")
    assert (second.state, second.group, second.evidence) == ("OH", "vendors", "seen at https://jobs.ashbyhq.com/b")
    assert second.file == cfg / "sources.d" / "a-ashby.toml"
    assert "state" not in second.options and "evidence" not in second.options


def test_a_folder_without_sources_d_still_loads(tmp_path):
    config = load_config(write_config(tmp_path, sources=[{"name": "wd", "platform": "workday", "url": BOARD}]))
    assert [s.name for s in config.sources] == ["wd"]


def test_a_name_in_two_files_is_one_error_naming_both(tmp_path):
    cfg = write_config(tmp_path, sources=[{"name": "workday:ccf", "platform": "workday", "url": BOARD}])
    write_sources(cfg / "sources.d" / "workday-health-systems.toml",
                  [{"name": "workday:ccf", "platform": "workday", "url": BOARD}])
    with pytest.raises(ConfigError) as err:
        load_config(cfg)
    message = str(err.value)
    assert message.startswith(f"{cfg / 'sources.d' / 'workday-health-systems.toml'}: sources[workday:ccf].name:")
    assert f"(also in {cfg / 'sources.toml'})" in message


def test_a_name_twice_in_one_file_names_the_file_once(tmp_path):
    cfg = write_config(tmp_path)
    write_sources(cfg / "sources.d" / "x.toml", [{"name": "dup", "platform": "lever", "site": "a"},
                                                 {"name": "dup", "platform": "lever", "site": "b"}])
    with pytest.raises(ConfigError, match=r"sources\[dup\]\.name: is used by more than one source$"):
        load_config(cfg)


@pytest.mark.parametrize(("entry", "problem"), [
    ({"state": "Ohio"}, "sources[g].state: 'Ohio' is not a two-letter US state code"),
    ({"state": "on"}, "sources[g].state: 'on' is not a two-letter US state code"),
    ({"evidence": 3}, "sources[g].evidence: must be a string, got 3"),
])
def test_state_and_evidence_are_checked(tmp_path, entry, problem):
    cfg = write_config(tmp_path)
    write_sources(cfg / "sources.d" / "g.toml", [{"name": "g", "platform": "greenhouse", "board": "g", **entry}])
    with pytest.raises(ConfigError) as err:
        load_config(cfg)
    assert str(err.value) == f"{cfg / 'sources.d' / 'g.toml'}: {problem}"


def test_a_broken_file_in_sources_d_is_named(tmp_path):
    cfg = write_config(tmp_path)
    (cfg / "sources.d").mkdir()
    (cfg / "sources.d" / "broken.toml").write_text("[[sources]\nname = 'x'\n")
    with pytest.raises(ConfigError, match=r"broken\.toml: invalid TOML"):
        load_config(cfg)
