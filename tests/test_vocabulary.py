"""The skills vocabulary: case rules, context, exclusions, order, the file format and its errors."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacsjobs.errors import ConfigError
from pacsjobs.understand.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(CONFIG)


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("Our clinic in Paris, TX serves Morris County.", [], ["RIS"]),
        ("Administer the RIS/PACS and the RIS interfaces.", ["RIS", "PACS"], []),
        ("Radiology Information Systems experience", ["RIS"], []),
        ("It was an epic effort; Epic effort, epic rewards.", [], ["Epic"]),
        ("Documents exams in Epic.", ["Epic"], []),
        ("Epic Radiant certification required", ["Epic Radiant"], ["Epic"]),
        ("EPIC certified analyst", ["Epic"], []),
        ("EPIC stands for many things", [], ["Epic"]),
        ("Assemble 6-PACs and 12-PACs; research super PACs.", [], ["PACS"]),
        ("Pacs Administrator wanted", ["PACS administration", "PACS"], []),
        ("Budget impacts on the PACE program", [], ["PACS"]),
        ("Install physical access control systems (PACS) and card readers.", [], ["PACS"]),
        ("Picture Archiving and Communications Systems support", ["PACS"], []),
        ("Hartford, CT 06101", [], ["imaging modalities"]),
        ("Perform CT and MRI exams", ["imaging modalities"], []),
        ("Azure Synapse analytics", [], ["Fujifilm Synapse"]),
        ("Fujifilm Synapse PACS", ["Fujifilm Synapse", "PACS"], []),
        ("Relocate to SAN DIEGO", [], ["storage (SAN/NAS)"]),
        ("Manage SAN storage and the storage room", ["storage (SAN/NAS)"], []),
        ("the storage room is on floor 2", [], ["storage (SAN/NAS)"]),
        ("HL-7 and HL7 interfaces", ["HL7"], []),
        ("Maintain the modality work-list", ["modality worklist"], []),
        ("vendor-neutral archive and other VNAs", ["VNA"], []),
        ("Merge patient records", [], ["Merge"]),
        ("Support Merge PACS", ["Merge", "PACS"], []),
        ("Philips ultrasound probes.", [], ["Philips"]),
        ("Philips IntelliSpace PACS", ["Philips", "PACS"], []),
        ("trouble-shooting and end-user training", ["troubleshooting", "user training"], []),
        ("Mirth Connect channels", ["Mirth Connect", "interface engines"], []),
    ],
)
def test_case_and_context_rules(vocab, text, present, absent):
    found = vocab.skills(text)
    for name in present:
        assert name in found, (text, found)
    for name in absent:
        assert name not in found, (text, found)


@pytest.mark.parametrize(
    ("text", "certs"),
    [
        ("R.T.(R)(CT)(ARRT) required", ["ARRT", "ARRT (CT)"]),
        ("ARRT (R) and ARRT (MR) registration", ["ARRT", "ARRT (MR)"]),
        ("Computed tomography (CT) experience", []),
        ("CIIP or PARCA CPAS / CPSA preferred", ["CIIP", "CPAS", "CPSA"]),
        ("CompTIA A+ and Network+ certification", ["CompTIA A+", "CompTIA Network+"]),
        ("RDMS through ARDMS", ["ARDMS"]),
    ],
)
def test_certifications(vocab, text, certs):
    assert vocab.certifications(text) == certs


def test_order_of_first_appearance_each_once(vocab):
    text = "DICOM and HL7. HL7 again, then DICOM, then RIS."
    assert vocab.skills(text) == ["DICOM", "HL7", "RIS"]


def test_implied_terms_follow_their_hit(vocab):
    assert vocab.skills("PACS administrator with DICOM") == ["PACS administration", "PACS", "DICOM"]


def test_hits_point_at_the_text(vocab):
    text = "Support the\nPicture Archiving and Communication System and modality worklists (MWL)."
    hits = vocab.find(text)
    assert [h.term.name for h in hits] == ["PACS", "modality worklist", "modality worklist"]
    for hit in hits:
        assert text[hit.start:hit.end] == hit.matched


def test_leftmost_longest(vocab):
    hits = vocab.find("DICOM modality worklist")
    assert [(h.term.name, h.matched) for h in hits] == [("DICOM", "DICOM"), ("modality worklist", "modality worklist")]
    hits = vocab.find("Epic Radiant")
    assert [(h.term.name, h.matched) for h in hits] == [("Epic Radiant", "Epic Radiant")]


def test_canonical_resolves_aliases(vocab):
    assert vocab.canonical("hl-7") == "HL7"
    assert vocab.canonical("picture archiving and communication system") == "PACS"
    assert vocab.canonical("nothing like it") is None
    assert vocab.term("dicom").name == "DICOM"


@pytest.mark.parametrize("bad", [None, 42, b"PACS", "", "   ", "\x00\ufffd" * 50, "İ" * 10 + " PACS RIS"])
def test_odd_input_never_raises(vocab, bad):
    result = vocab.skills(bad)
    assert isinstance(result, list)
    if bad == "İ" * 10 + " PACS RIS":  # lowering changes the length: the slow path must still work
        assert result == ["PACS", "RIS"]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_random_text_never_raises(text):
    vocab = load_vocabulary(CONFIG)
    for hit in vocab.find(text):
        assert text[hit.start:hit.end] == hit.matched
    vocab.certifications(text)


def test_fast_enough_for_a_crawl(vocab):
    text = (ROOT / "tests" / "eval" / "postings.jsonl").read_text(encoding="utf-8")[:4000]
    vocab.find(text)
    start = time.perf_counter()
    for i in range(200):
        vocab.find(text + str(i))  # a new string each time: no cache help
    per_posting = (time.perf_counter() - start) / 200
    assert per_posting < 0.02, f"{per_posting * 1000:.1f} ms per 4 kB posting"


def write(folder: Path, body: str) -> Path:
    (folder / "skills.toml").write_text(body, encoding="utf-8")
    return folder


MINI = """
[[terms]]
name = "Widget"
kind = "skill"
aliases = ["widget making"]
exact = ["WDG"]
weak = ["Wid"]
context = ["factory"]
window = 20
exclude = ["WDG-\\\\d+"]
implies = ["Gadget"]

[[terms]]
name = "Gadget"
kind = "system"
aliases = ["gadget"]

[[terms]]
name = "Gizmo Cert"
kind = "certification"
aliases = ["gizmo certified"]
"""


def test_custom_file_format(tmp_path):
    vocab = load_vocabulary(write(tmp_path, MINI))
    assert vocab.skills("Widget-making skills") == ["Widget", "Gadget"]  # plural, hyphen, implies
    assert vocab.skills("wdg") == []  # exact is case-sensitive
    assert vocab.skills("WDG-42 part") == []  # excluded
    assert vocab.skills("WDG tools") == ["Widget", "Gadget"]
    assert vocab.skills("Wid at the factory") == ["Widget", "Gadget"]  # weak with context
    assert vocab.skills("Wid at home, far from anything") == []
    assert vocab.certifications("Gizmo certified, gadgets") == ["Gizmo Cert"]
    assert vocab.skills("Gizmo certified, gadgets") == ["Gadget"]


def test_cache_until_the_file_changes(tmp_path):
    folder = write(tmp_path, MINI)
    first = load_vocabulary(folder)
    assert load_vocabulary(folder) is first
    body = MINI.replace('aliases = ["gadget"]', 'aliases = ["gadget", "doohickey"]')
    (folder / "skills.toml").write_text(body, encoding="utf-8")
    stat = (folder / "skills.toml").stat()
    os.utime(folder / "skills.toml", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    second = load_vocabulary(folder)
    assert second is not first
    assert second.skills("a doohickey") == ["Gadget"]


def test_default_folder_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PACSJOBS_CONFIG", str(write(tmp_path, MINI)))
    assert load_vocabulary().skills("gadget") == ["Gadget"]


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        ("[[terms]\nname=", None, "invalid TOML"),
        ("title = 'x'\n", "title", "unknown key"),
        ("[[terms]]\nname = 'A'\nkind = 'tool'\naliases = ['a']\n", "terms[A].kind", "must be one of"),
        ("[[terms]]\nkind = 'skill'\naliases = ['a']\n", "terms[0].name", "is required"),
        ("[[terms]]\nname = 'A'\nkind = 'skill'\n", "terms[A].aliases", "at least one alias"),
        ("[[terms]]\nname = 'A'\nkind = 'skill'\nweak = ['A']\n", "terms[A].context", "need context"),
        ("[[terms]]\nname = 'A'\nkind = 'skill'\naliases = ['a']\nexclude = ['(']\n", "terms[A].exclude", "not a valid regex"),
        ("[[terms]]\nname = 'A'\nkind = 'skill'\naliases = ['a']\nimplies = ['B']\n", "terms[A].implies", "unknown term 'B'"),
        ("[[terms]]\nname = 'A'\nkind = 'skill'\naliases = ['-a']\n", "terms[A].aliases", "must start with"),
        ("[[terms]]\nname = 'A'\nkind = 'skill'\naliases = 'a'\n", "terms[A].aliases", "list of non-empty strings"),
        ("[[terms]]\nname = 'A'\nkind = 'skill'\naliases = ['a']\nwindow = 0\n", "terms[A].window", "1..1000"),
        ("[[terms]]\nname = 'A'\nkind = 'skill'\naliases = ['a']\ncolour = 1\n", "terms[A].colour", "unknown key"),
        ("[[terms]]\nname = 'A'\nkind = 'skill'\naliases = ['a']\n[[terms]]\nname = 'a'\nkind = 'skill'\n"
         "aliases = ['b']\n", "terms[a].name", "more than one term"),
    ],
)
def test_invalid_files_name_file_and_key(tmp_path, body, key, problem):
    write(tmp_path, body)
    with pytest.raises(ConfigError) as err:
        load_vocabulary(tmp_path)
    assert err.value.file == str(tmp_path / "skills.toml")
    assert err.value.key == key
    assert problem in err.value.problem


def test_a_folder_without_skills_toml_gets_the_packaged_vocabulary(tmp_path):
    assert load_vocabulary(tmp_path).skills("DICOM and HL7 interfaces") == ["DICOM", "HL7"]


def test_a_users_terms_replace_packaged_ones_by_name_and_add_new_ones(tmp_path):
    (tmp_path / "skills.toml").write_text(
        '[[terms]]\nname = "DICOM"\nkind = "skill"\naliases = ["dicomish"]\n\n'
        '[[terms]]\nname = "Basket Weaving"\nkind = "skill"\naliases = ["basket weaving"]\n',
        encoding="utf-8")
    vocab = load_vocabulary(tmp_path)
    assert sorted(vocab.skills("DICOM, HL7 and basket weaving")) == ["Basket Weaving", "HL7"]
    assert vocab.skills("dicomish") == ["DICOM"]


# -- required_literals: the pre-checks that let most texts skip a regex scan ---------------------
@pytest.mark.parametrize(("pattern", "literals"), [
    (r"\bsuper\s+pacs\b", ("super",)),  # the longest of the required runs
    (r"(?:card reader|badge)s?", ("badge", "card reader")),  # one of each alternative
    (r"(?:card reader|\d+)", None),  # an alternative with no literal: nothing required
    (r"(?:abc)?xy", ("xy",)),  # optional parts are not required
    (r"(?i)Radiant\s+(?:heat|floor)", ("radiant",)),
    (r"(?i)(?:heat|floor)ing", ("floor", "heat")),
    (r"(?<=pacs )access", ("access",)),
    (r"[", None),  # unreadable: no pre-check, never an error
])
def test_required_literals(pattern, literals):
    from pacsjobs.understand.vocabulary import required_literals

    assert required_literals(pattern) == literals


def test_required_literals_hold_for_every_match_in_the_labelled_postings():
    """Every pattern that is pre-checked gets its literals, and no match lacks them: a pattern whose
    literals were wrong would silently stop matching (a Python with another regex parser, say)."""
    import json
    import re

    from pacsjobs.normalize.jobtype import has_ignorecase_specials
    from pacsjobs.understand import classify
    from pacsjobs.understand.vocabulary import may_match, required_literals

    vocab = load_vocabulary(ROOT / "config")
    lines = (ROOT / "tests" / "eval" / "postings.jsonl").read_text().splitlines()
    texts = [t for line in lines if line.strip() for t in (json.loads(line)["description"], json.loads(line)["title"])]
    texts += [t.upper() for t in texts[:40]] + ["Bachelor's degree or equivalent; B.S. preferred, PhD a plus",
                                                "two years of experience required in lieu of a degree",
                                                "super PACS, card reader access control, radiant heat"]
    patterns = [(rx, True) for term in vocab.terms for rx in map(re.compile, term.exclude)]
    patterns += [(rx, True) for rx in classify._PIECE_LITERALS]
    patterns += [(rx, False) for rx in classify._WINDOW_LITERALS]
    matches = 0
    for rx, lookaround in patterns:
        literals = required_literals(rx.pattern, lookaround)
        assert literals, f"no pre-check for {rx.pattern!r}"
        for text in texts:
            if has_ignorecase_specials(text):
                continue
            low = text.lower()
            for m in rx.finditer(text):
                matches += 1
                where = low if lookaround else low[m.start():m.end()]
                assert may_match(literals, where), (rx.pattern, m.group(0), literals)
    assert matches > 100  # the corpus does exercise the patterns
