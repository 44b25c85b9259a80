"""Employment type and workplace from each source's words."""

from __future__ import annotations

import pytest

from pacsjobs.normalize.jobtype import parse_employment_type, parse_workplace


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("FULL_TIME", "full_time"), ("Full time", "full_time"), ("Full-Time", "full_time"),
        ("full-time", "full_time"), ("Regular Full Time", "full_time"), ("FT", "full_time"),
        ("FullTime", "full_time"), ("Full-time", "full_time"), ("Permanent", "full_time"),
        ("PART_TIME", "part_time"), ("Part time", "part_time"), ("Part-Time", "part_time"),
        ("PartTime", "part_time"), ("PT", "part_time"), ("Regular Part Time", "part_time"),
        ("CONTRACTOR", "contract"), ("Contract", "contract"), ("Contract to hire", "contract"),
        ("Contract-to-Hire", "contract"), ("TEMPORARY", "temporary"), ("Temporary", "temporary"),
        ("Temp", "temporary"), ("Seasonal", "temporary"), ("Full Time Temporary", "temporary"),
        ("PRN", "per_diem"), ("Per Diem", "per_diem"), ("Per-Diem", "per_diem"),
        ("PER_DIEM", "per_diem"), ("Part Time Per Diem", "per_diem"), ("Casual", "per_diem"),
        ("Intermittent", "per_diem"), ("INTERN", "internship"), ("Internship", "internship"),
        ("Intern", "internship"), ("FULL_TIME, PART_TIME", "full_time"),
        ("PART_TIME, FULL_TIME", "part_time"), ("OTHER, PER_DIEM", "per_diem"),
        ("VOLUNTEER", None), ("OTHER", None), ("Multiple Schedules", None), ("", None), (None, None),
    ],
)  # fmt: skip
def test_employment_type(raw, expected):
    assert parse_employment_type(raw) == expected


def test_employment_type_list_value():
    assert parse_employment_type(["Full time", "Per Diem"]) == "full_time"
    assert parse_employment_type(["VOLUNTEER", "PER_DIEM"]) == "per_diem"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PACS Administrator - PRN", "per_diem"),
        ("PACS Analyst (Per Diem)", "per_diem"),
        ("Imaging Informatics Intern, Summer 2027", "internship"),
        ("PACS Administrator - Part-Time", "part_time"),
        ("Full-Time PACS Administrator", "full_time"),
        ("Contract PACS Engineer (Contract)", "contract"),
        ("PACS Analyst - 13 week contract", "contract"),
        ("Temporary PACS Support Specialist", "temporary"),
        ("Apprentice sprint planner", None),  # "prn" inside a word, lower case
        ("Internal Medicine Imaging Coordinator", None),
        ("PACS Administrator", None),
        ("We negotiate vendor contracts", None),
        ("", None),
        (None, None),
    ],
)
def test_employment_type_from_text(text, expected):
    assert parse_employment_type(None, text) == expected


def test_raw_beats_text():
    assert parse_employment_type("FULL_TIME", "PACS Administrator - PRN") == "full_time"
    assert parse_employment_type("OTHER", "PACS Administrator - PRN") == "per_diem"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("TELECOMMUTE", "remote"), ("remote", "remote"), ("Remote", "remote"),
        ("Fully Remote", "remote"), ("hybrid", "hybrid"), ("Hybrid", "hybrid"),
        ("Hybrid Remote", "hybrid"), ("onsite", "onsite"), ("On-site", "onsite"),
        ("On-Site", "onsite"), ("on-site", "onsite"), ("in-office", "onsite"),
        ("In Office", "onsite"), ("unspecified", None), ("true", "remote"), ("True", "remote"),
        ("false", None), (True, "remote"), (False, None), ("ORA_HYBRID", "hybrid"),
        ("ORA_ON_SITE", "onsite"), ("ORA_REMOTE", "remote"), ("Work from home", "remote"),
        ("", None), (None, None), ("banana", None),
    ],
)  # fmt: skip
def test_workplace(raw, expected):
    assert parse_workplace(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is a fully remote position.", "remote"),
        ("This position is remote; candidates anywhere in the US may apply.", "remote"),
        ("This is a 100% remote role supporting our PACS.", "remote"),
        ("This is a hybrid position with 3 days on site.", "hybrid"),
        ("This position is on-site at Main Campus.", "onsite"),
        ("This is not a remote position.", "onsite"),
        ("Remote access to PACS workstations for radiologists.", None),  # not about the job
        ("Supports remote reading stations and VPN.", None),
        ("", None),
        (None, None),
    ],
)
def test_workplace_from_text(text, expected):
    assert parse_workplace(None, text) == expected


def test_workplace_raw_beats_text():
    assert parse_workplace("On-site", "This is a fully remote position.") == "onsite"
    assert parse_workplace("unspecified", "This is a fully remote position.") == "remote"


LONG_PAD = " Our imaging team supports radiology across the health system." * 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is a full-time position on day shift." + LONG_PAD, "full_time"),
        ("Schedule: Part time\nShift: Days" + LONG_PAD, "part_time"),
        ("Employment Type: Per Diem" + LONG_PAD, "per_diem"),
        ("Work schedule: Full-time. Appointment type: Permanent" + LONG_PAD, "full_time"),
        ("This is a 13-week contract with possible extension." + LONG_PAD, "contract"),
        ("This is a temporary assignment covering a leave." + LONG_PAD, "temporary"),
        # Words about something else than the job:
        (
            "Manages temporary storage of images and works with full-time radiologists." + LONG_PAD,
            None,
        ),
        ("Supports residents and interns; negotiates vendor contracts." + LONG_PAD, None),
    ],
)
def test_employment_type_from_description(text, expected):
    assert parse_employment_type(None, text) == expected
