"""Location strings as Workday, Greenhouse, Lever, USAJOBS and JSON-LD pages write them."""

from __future__ import annotations

import pytest

from pacsjobs.normalize.location import (
    US_STATES,
    Location,
    country_code,
    is_us,
    parse_location,
    parse_locations,
)

# (text, city, state, postal_code, country, workplace)
CASES = [
    ("Cleveland, OH", "Cleveland", "OH", None, "US", None),
    ("Cleveland, Ohio", "Cleveland", "OH", None, "US", None),
    ("cleveland, oh", "cleveland", "OH", None, "US", None),
    ("Main Campus - Cleveland, OH 44195", "Cleveland", "OH", "44195", "US", None),
    ("Cleveland Clinic Main Campus - Cleveland, OH 44195-5108", "Cleveland", "OH", "44195", "US", None),
    ("Remote - US", None, None, None, "US", "remote"),
    ("Remote (US)", None, None, None, "US", "remote"),
    ("US - Remote", None, None, None, "US", "remote"),
    ("Remote", None, None, None, None, "remote"),
    ("Remote, OH", None, "OH", None, "US", "remote"),
    ("Hybrid - Boston, MA", "Boston", "MA", None, "US", "hybrid"),
    ("Boston, MA (Hybrid)", "Boston", "MA", None, "US", "hybrid"),
    ("On-site - Nashville, TN", "Nashville", "TN", None, "US", "onsite"),
    ("United States", None, None, None, "US", None),
    ("USA", None, None, None, "US", None),
    ("US-OH-Cleveland", "Cleveland", "OH", None, "US", None),
    ("USA.VA.Reston", "Reston", "VA", None, "US", None),  # real Workday locationsText
    ("US-CA-San Francisco", "San Francisco", "CA", None, "US", None),
    ("USA-TX-Houston", "Houston", "TX", None, "US", None),
    ("Cleveland, Ohio, United States", "Cleveland", "OH", None, "US", None),
    ("Rochester, Minnesota, United States of America", "Rochester", "MN", None, "US", None),
    ("Tel Aviv, Israel", "Tel Aviv", None, None, "IL", None),
    ("Israel, Tel Aviv", "Tel Aviv", None, None, "IL", None),
    ("Toronto, ON, Canada", "Toronto", None, None, "CA", None),
    ("Toronto, ON", "Toronto", None, None, "CA", None),
    ("Bengaluru, Karnataka, India", "Bengaluru", None, None, "IN", None),
    ("London, England, United Kingdom", "London", None, None, "GB", None),
    ("Best, Netherlands", "Best", None, None, "NL", None),
    ("Cleveland Clinic Main Campus", None, None, None, None, None),
    ("2 Locations", None, None, None, None, None),
    ("Multiple Locations", None, None, None, None, None),
    ("Washington, DC", "Washington", "DC", None, "US", None),
    ("Washington, D.C.", "Washington", "DC", None, "US", None),
    ("Washington, District of Columbia", "Washington", "DC", None, "US", None),
    ("Washington", None, None, None, None, None),
    ("Seattle, Washington", "Seattle", "WA", None, "US", None),
    ("Seattle, WA 98101", "Seattle", "WA", "98101", "US", None),
    ("Indianapolis, IN", "Indianapolis", "IN", None, "US", None),
    ("Indianapolis, Indiana 46202", "Indianapolis", "IN", "46202", "US", None),
    ("Portland, OR", "Portland", "OR", None, "US", None),
    ("Augusta, ME", "Augusta", "ME", None, "US", None),
    ("Springfield, Sangamon County, IL", "Springfield", "IL", None, "US", None),
    ("Cleveland OH 44195", "Cleveland", "OH", "44195", "US", None),
    ("New York, NY 10065", "New York", "NY", "10065", "US", None),
    ("New York, New York", "New York", "NY", None, "US", None),
    ("Ohio", None, "OH", None, "US", None),
    ("San Juan, PR", "San Juan", "PR", None, "US", None),
    ("Tamuning, Guam", "Tamuning", "GU", None, "US", None),
    ("St. Thomas, VI", "St. Thomas", "VI", None, "US", None),
    ("Winston-Salem, NC", "Winston-Salem", "NC", None, "US", None),
    ("  Houston ,  TX  ", "Houston", "TX", None, "US", None),
    ("1 Medical Center Dr, Lebanon, NH 03756", "Lebanon", "NH", "03756", "US", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "city", "state", "postal", "country", "workplace"), CASES)
def test_parse_location(text, city, state, postal, country, workplace):
    loc = parse_location(text)
    assert (loc.city, loc.state, loc.postal_code, loc.country, loc.workplace) == (
        city,
        state,
        postal,
        country,
        workplace,
    )
    assert loc.text == " ".join(text.split())


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("US", "US"), ("us", "US"), ("USA", "US"), ("United States", "US"),
        ("United States of America", "US"), ("Canada", "CA"), ("ca", "CA"), ("Israel", "IL"),
        ("GBR", "GB"), ("", None), (None, None), ("Atlantis", None), ("  united states ", "US"),
    ],
)  # fmt: skip
def test_country_code(country, expected):
    assert country_code(country) == expected


def test_country_argument_fills_missing_country():
    # USAJOBS puts a country name in CountryCode; SmartRecruiters sends lower-case codes.
    assert parse_location("Cleveland Clinic Main Campus", "United States").country == "US"
    assert parse_location("Remote", "us").country == "US"
    assert parse_location(None, "United States") == Location(country="US")
    assert parse_location("Tel Aviv", "il").country == "IL"


def test_text_country_beats_argument():
    assert parse_location("Toronto, ON, Canada", "US").country == "CA"


def test_state_dropped_outside_the_us():
    loc = parse_location("Cordoba, CO, Argentina")
    assert (loc.city, loc.state, loc.country) == ("Cordoba", None, "AR")


@pytest.mark.parametrize("code", sorted(US_STATES))
def test_every_state_code_and_name(code):
    assert parse_location(f"Springfield, {code}").state == code
    name = US_STATES[code]
    assert parse_location(f"Springfield, {name}").state == code


@pytest.mark.parametrize(
    "text", [None, "", "   ", "-", "N/A", "TBD", "x" * 10_000, "\x00\x01", "🙂, 🙂", ",,,", "US-"]
)
def test_garbage_never_raises(text):
    loc = parse_location(text)
    assert loc.city is None or isinstance(loc.city, str)
    assert loc.state is None


def test_to_dict():
    assert parse_location("Cleveland, OH 44195").to_dict() == {
        "text": "Cleveland, OH 44195",
        "city": "Cleveland",
        "state": "OH",
        "postal_code": "44195",
        "country": "US",
        "workplace": None,
    }


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        (Location(country="US"), True),
        (Location(state="OH"), True),
        (Location(country="PR", state="PR"), True),
        (Location(country="IL"), False),
        (Location(country="CA"), False),
        (Location(text="Remote"), None),
    ],
)
def test_is_us(loc, expected):
    assert is_us(loc) is expected


def _places(locations):
    return [(loc.city, loc.state, loc.country, loc.workplace) for loc in locations]


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (
            ["Boston, MA; New York, NY | Remote"],
            [
                ("Boston", "MA", "US", None),
                ("New York", "NY", "US", None),
                (None, None, None, "remote"),
            ],
        ),
        (
            ["Cleveland, OH and Akron, OH"],
            [("Cleveland", "OH", "US", None), ("Akron", "OH", "US", None)],
        ),
        (
            ["Cleveland, OH / Akron, OH"],
            [("Cleveland", "OH", "US", None), ("Akron", "OH", "US", None)],
        ),
        (["Imaging and Radiology Center - Cleveland, OH"], [("Cleveland", "OH", "US", None)]),
        (
            ["2 Locations", "Cleveland, OH", "Akron, Ohio"],
            [("Cleveland", "OH", "US", None), ("Akron", "OH", "US", None)],
        ),
        (["Cleveland, OH", "Cleveland, Ohio", "cleveland, OH"], [("Cleveland", "OH", "US", None)]),
        (["Multiple Locations"], [(None, None, None, None)]),
        (["Remote/Hybrid"], [(None, None, None, "hybrid")]),
        ([], []),
        (["", "  "], []),
    ],
)
def test_parse_locations(texts, expected):
    assert _places(parse_locations(texts)) == expected


def test_parse_locations_first_is_primary_and_text_kept():
    locations = parse_locations(["Hybrid - Boston, MA", "Remote - US"])
    assert locations[0].text == "Hybrid - Boston, MA"
    assert locations[1].text == "Remote - US"


def test_workplace_hint_and_country():
    locations = parse_locations(
        ["Cleveland, OH"], country="United States", workplace_hint="TELECOMMUTE"
    )
    assert _places(locations) == [("Cleveland", "OH", "US", "remote")]
    # A location's own word wins over the hint.
    assert (
        parse_locations(["Hybrid - Boston, MA"], workplace_hint="remote")[0].workplace == "hybrid"
    )
    # No location text at all: the hint and the country still make one location.
    assert _places(parse_locations([], "us", "true")) == [(None, None, "US", "remote")]
