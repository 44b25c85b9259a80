"""Profiles: the guide profile, extra profiles that override it, and every kind of bad file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pacsjobs.errors import ConfigError, PacsjobsError
from pacsjobs.paths import DEFAULTS
from pacsjobs.profile import DEFAULT_WEIGHTS, list_profiles, load_profile

CONFIG = Path(__file__).resolve().parent.parent / "config"


def test_guide_profile_is_the_guide():
    guide = load_profile(CONFIG)
    assert guide.name == "guide"
    # the guide's own words: chief skills, ARRT, bachelor's, 3-5 years, $80,615-$100,189
    for skill in ("diagnostic imaging", "medical equipment management", "PACS administration", "PACS",
                  "radiology software", "RIS", "HL7", "modality worklist", "Cerner", "McKesson"):
        assert skill in guide.skills
    assert guide.certifications == ["ARRT"]
    assert (guide.degree, guide.years_min, guide.years_max) == ("bachelor", 3.0, 5.0)
    assert (guide.salary_min, guide.salary_max) == (80615.0, 100189.0)
    assert guide.states == [] and guide.remote == "any" and guide.include_non_us is False
    assert guide.salary_floor is None
    assert set(guide.weights) == set(DEFAULT_WEIGHTS)


def test_example_profile_overrides_and_inherits():
    assert list_profiles(CONFIG) == ["guide", "remote-ohio"]
    ohio = load_profile(CONFIG, "remote-ohio")
    assert ohio.name == "remote-ohio"
    assert ohio.states == ["OH"] and ohio.remote == "prefer" and ohio.salary_floor == 85000.0
    assert "Epic Radiant" in ohio.skills and ohio.certifications == ["ARRT", "CIIP"]
    assert ohio.to == ["pacs.seeker@example.org"]
    assert (ohio.salary_min, ohio.salary_max, ohio.degree) == (80615.0, 100189.0, "bachelor")  # from guide
    assert ohio.weights["location"] == 20.0


@pytest.fixture
def folder(tmp_path):
    shutil.copy(DEFAULTS / "guide.toml", tmp_path / "guide.toml")
    shutil.copy(DEFAULTS / "skills.toml", tmp_path / "skills.toml")
    (tmp_path / "profiles").mkdir()
    return tmp_path


def write_profile(folder: Path, name: str, body: str) -> Path:
    path = folder / "profiles" / f"{name}.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_names_are_normalized_to_the_vocabulary(folder):
    write_profile(folder, "mine", 'skills = ["hl-7", "Picture Archiving and Communication System", "DICOM", "dicom"]\n'
                                  'certifications = ["arrt"]\nstates = ["oh", "PA"]\nremote = "Only"\n')
    mine = load_profile(folder, "mine")
    assert mine.skills == ["HL7", "PACS", "DICOM"]
    assert mine.certifications == ["ARRT"]
    assert mine.states == ["OH", "PA"] and mine.remote == "only"


def test_degree_can_be_cleared(folder):
    write_profile(folder, "nodegree", 'degree = ""\nsalary_floor = 0\n')
    p = load_profile(folder, "nodegree")
    assert p.degree is None and p.salary_floor is None


def test_profiles_listed_sorted_guide_first(folder):
    for name in ("zeta", "alpha"):
        write_profile(folder, name, "")
    (folder / "profiles" / "notes.txt").write_text("not a profile")
    assert list_profiles(folder) == ["guide", "alpha", "zeta"]


def test_unknown_profile(folder):
    write_profile(folder, "mine", "")
    with pytest.raises(PacsjobsError) as err:
        load_profile(folder, "x")
    assert str(err.value) == "unknown profile 'x' (known: guide, mine)"


def test_default_folder_from_environment(folder, monkeypatch):
    write_profile(folder, "envone", "remote = 'only'\n")
    monkeypatch.setenv("PACSJOBS_CONFIG", str(folder))
    assert load_profile(name="envone").remote == "only"


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        ("skills = [", None, "invalid TOML"),
        ("colour = 'blue'\n", "colour", "unknown key"),
        ("skills = 'PACS'\n", "skills", "must be a list"),
        ("skills = ['basket weaving']\n", "skills", "is not in skills.toml"),
        ("skills = ['ARRT']\n", "skills", "is a certification in skills.toml"),
        ("certifications = ['DICOM']\n", "certifications", "is a skill in skills.toml"),
        ("degree = 'phd'\n", "degree", "must be one of"),
        ("years_min = -1\n", "years_min", "must not be negative"),
        ("years_min = 9\n", "years_min", "above years_max"),
        ("salary_min = 200000\n", "salary_min", "above salary_max"),
        ("salary_min = 'lots'\n", "salary_min", "must be a number"),
        ("states = ['Ohio']\n", "states", "two-letter USPS codes"),
        ("remote = 'sometimes'\n", "remote", "must be one of"),
        ("include_non_us = 'yes'\n", "include_non_us", "true or false"),
        ("to = ['nobody']\n", "to", "email addresses"),
        ("[weights]\nvibes = 3\n", "weights.vibes", "unknown component"),
        ("[weights]\nsalary = -2\n", "weights.salary", "must be a number >= 0"),
        ("role = 'radiologist'\n", "role", "must be one of"),
        ("strong_fit = 0\n", "strong_fit", "above 0 and at most 100"),
        ("strong_fit = 120\n", "strong_fit", "above 0 and at most 100"),
        ("[weights]\nrole = 0\nskills = 0\nsalary = 0\nexperience = 0\neducation = 0\ncertification = 0\nlocation = 0\n",
         "weights", "at least one weight"),
    ],
)
def test_bad_profile_files(folder, body, key, problem):
    path = write_profile(folder, "bad", body)
    with pytest.raises(ConfigError) as err:
        load_profile(folder, "bad")
    assert err.value.file == str(path)
    assert err.value.key == key
    assert problem in err.value.problem


def test_bad_guide_file_is_reported_for_every_profile(folder):
    (folder / "guide.toml").write_text("salary_max = 'a lot'\n", encoding="utf-8")
    write_profile(folder, "mine", "")
    for name in ("guide", "mine"):
        with pytest.raises(ConfigError) as err:
            load_profile(folder, name)
        assert err.value.file == str(folder / "guide.toml") and err.value.key == "salary_max"


def test_a_users_vocabulary_adds_to_the_packaged_one(tmp_path):
    (tmp_path / "guide.toml").write_text('skills = ["Anything Goes", "DICOM"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'Anything Goes' is not in skills.toml"):
        load_profile(tmp_path)
    (tmp_path / "skills.toml").write_text('[[terms]]\nname = "Anything Goes"\nkind = "skill"\n'
                                          'aliases = ["anything goes"]\n', encoding="utf-8")
    assert load_profile(tmp_path).skills == ["Anything Goes", "DICOM"]
