"""Duplicates: the pure comparison functions, and linking in the store on both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from pacsjobs.record import Posting
from pacsjobs.store import open_store
from pacsjobs.understand.dedupe import (
    canonical_key,
    is_duplicate,
    normalize_employer,
    normalize_title,
    similarity,
    source_platform,
)

T0 = datetime(2026, 11, 1, 6, 0, 0)

VA_TEXT = (
    "This position is located in the Imaging Service of the Louis Stokes Cleveland VA Medical "
    "Center. The incumbent serves as the PACS Administrator and is responsible for the "
    "operation of the picture archiving and communication system, including DICOM modality "
    "configuration, HL7 interfaces between VistA Imaging and the commercial PACS, image "
    "routing, storage management and disaster recovery. Specialized experience: one year "
    "equivalent to GS-9 administering a PACS, troubleshooting DICOM and HL7 messages and "
    "training radiology staff. ARRT registration is preferred."
)
CLINIC_TEXT = (
    "Cleveland Clinic is looking for a PACS Administrator to support enterprise imaging across "
    "the main campus and regional hospitals. You will maintain the Sectra PACS and the vendor "
    "neutral archive, build modality worklists, resolve DICOM and HL7 interface errors, manage "
    "user access and work with radiologists on hanging protocols. A bachelor's degree and three "
    "years of imaging informatics experience are required; CIIP certification is a plus."
)
METRO_TEXT = (
    "MetroHealth seeks a PACS Administrator for its radiology department. Responsibilities "
    "include the daily operation of the Philips IntelliSpace PACS, coordinating upgrades with "
    "the vendor, on-call support for the emergency department, quality control of studies and "
    "education of technologists. Requires an associate degree, ARRT (R) and two years of "
    "experience in a hospital imaging department."
)


def posting(source: str, source_id: str, url: str, title: str, employer: str, city: str | None,
            state: str | None, text: str, **more) -> Posting:
    return Posting(source=source, source_id=source_id, url=url, title=title, employer=employer,
                   city=city, state=state, country="US", location_text=f"{city}, {state}",
                   description_text=text, description_html=f"<p>{text}</p>", **more)


# -- pure functions ------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,expected", [
    ("The Cleveland Clinic Foundation", "cleveland clinic foundation"),
    ("Banner Health System", "banner health"),
    ("Banner Health, Inc.", "banner health"),
    ("Mass General Brigham Incorporated", "mass general brigham"),
    ("Veterans Health Administration", "veterans affairs"),
    ("Department of Veterans Affairs", "veterans affairs"),
    ("Hôpital Sainte-Justine", "hopital sainte justine"),
    ("Johnson & Johnson", "johnson and johnson"),
    ("", ""),
    (None, ""),
])
def test_normalize_employer(raw, expected):
    assert normalize_employer(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("PACS Administrator II - Remote", "pacs administrator 2"),
    ("PACS Administrator 2", "pacs administrator 2"),
    ("Sr. PACS Admin (Req #R12345)", "senior pacs administrator"),
    ("Imaging Informatics Analyst - JR-2024-00123", "imaging informatics analyst"),
    ("PACS Analyst (Hybrid)", "pacs analyst"),
    ("RIS/PACS Administrator", "ris pacs administrator"),
    ("IT Specialist (PACS)", "it specialist pacs"),
    ("", ""),
])
def test_normalize_title(raw, expected):
    assert normalize_title(raw) == expected


@pytest.mark.parametrize("source,url,mapping,expected", [
    ("greenhouse:acme", None, None, "greenhouse"),
    ("cleveland-clinic", "https://ccf.wd1.myworkdayjobs.com/en-US/ClevelandClinicCareers/job/x", None, "workday"),
    ("va", "https://www.usajobs.gov/job/812345600", None, "usajobs"),
    ("healthecareers", "https://www.healthecareers.com/job/pacs-administrator/123", None, "aggregator"),
    ("mystery", "https://careers.example.org/jobs/1", None, "unknown"),
    ("mystery", "https://careers.example.org/jobs/1", {"mystery": "jsonld"}, "jsonld"),
])
def test_source_platform(source, url, mapping, expected):
    assert source_platform(source, mapping, url) == expected


VA = posting("usajobs", "812345600", "https://www.usajobs.gov/job/812345600", "PACS Administrator",
             "Veterans Health Administration", "Cleveland", "OH", VA_TEXT, id=1, first_seen_at=T0)
VA_ON_AGGREGATOR = posting(
    "jsonld:healthecareers", "hc-99812", "https://www.healthecareers.com/job/pacs-administrator/99812",
    "PACS Administrator - 812345600", "Department of Veterans Affairs", "Cleveland", "OH",
    VA_TEXT[:420], id=2, first_seen_at=T0 - timedelta(days=2))
CLINIC = posting("workday:cleveland-clinic", "R123456",
                 "https://ccf.wd1.myworkdayjobs.com/ClevelandClinicCareers/job/Cleveland/PACS-Administrator_R123456",
                 "PACS Administrator", "Cleveland Clinic", "Cleveland", "OH", CLINIC_TEXT, id=3,
                 first_seen_at=T0)
METRO = posting("jsonld:metrohealth", "2024-7781", "https://careers.metrohealth.org/job/2024-7781",
                "PACS Administrator", "MetroHealth System", "Cleveland", "OH", METRO_TEXT, id=4,
                first_seen_at=T0)


def test_same_job_on_two_sources_is_a_duplicate():
    assert is_duplicate(VA, VA_ON_AGGREGATOR) and is_duplicate(VA_ON_AGGREGATOR, VA)
    assert similarity(VA, VA_ON_AGGREGATOR) > 0.85


def test_same_title_elsewhere_is_not_a_duplicate():
    assert not is_duplicate(CLINIC, METRO)  # another hospital, same city
    assert not is_duplicate(CLINIC, replace(CLINIC, id=9, source_id="R9", city="Weston", state="FL"))
    assert not is_duplicate(CLINIC, replace(CLINIC, id=9, source_id="R9", title="PACS Administrator III"))
    assert not is_duplicate(CLINIC, CLINIC)  # a posting is not its own duplicate
    assert similarity(CLINIC, METRO) < similarity(VA, VA_ON_AGGREGATOR)


def test_both_remote_matches_across_states():
    a = replace(CLINIC, workplace="remote", state="OH")
    b = replace(CLINIC, id=8, source_id="R8", workplace="remote", state="TX", city="Austin")
    assert is_duplicate(a, b)


def test_canonical_prefers_the_employers_system_then_open_then_earliest():
    # The aggregator saw it first, but USAJOBS is the employer's own system.
    assert min([VA_ON_AGGREGATOR, VA], key=canonical_key) is VA
    closed = replace(VA, closed_at=T0)
    assert min([VA_ON_AGGREGATOR, closed], key=canonical_key) is VA_ON_AGGREGATOR
    later = replace(CLINIC, id=7, first_seen_at=T0 + timedelta(days=1))
    assert min([later, CLINIC], key=canonical_key) is CLINIC
    agency = replace(CLINIC, id=5, is_staffing_agency=True, first_seen_at=T0 - timedelta(days=9))
    assert min([agency, later], key=canonical_key) is later


def test_bad_input_never_raises():
    empty = Posting(source="x", source_id="1", url="", title="")
    assert is_duplicate(empty, replace(empty, source_id="2")) is False
    assert 0.0 <= similarity(empty, replace(empty, source_id="2")) <= 1.0


# -- linking in the store ------------------------------------------------------------------------

def plain(p: Posting) -> Posting:
    return replace(p, id=None, first_seen_at=None)


def test_link_duplicates_in_the_store(db_url):
    with open_store(db_url) as st:
        agg = st.upsert_postings([plain(VA_ON_AGGREGATOR)], now=T0 - timedelta(days=2)).ids[0]
        va, clinic, metro = st.upsert_postings([plain(VA), plain(CLINIC), plain(METRO)], now=T0).ids
        assert st.link_duplicates([va, clinic, metro]) == 1
        assert st.get_posting(agg).duplicate_of == va
        assert st.get_posting(va).duplicate_of is None
        assert st.get_posting(clinic).duplicate_of is None and st.get_posting(metro).duplicate_of is None
        assert [p.id for p in st.duplicates_of(agg)] == [va, agg]
        assert [p.id for p in st.duplicates_of(va)] == [va, agg]
        assert st.duplicates_of(metro) == []
        assert st.link_duplicates([va, agg]) == 0  # idempotent

        # Cleveland Clinic reposts the job with a new requisition id a week later; the old one closes.
        week = T0 + timedelta(days=7)
        repost = replace(plain(CLINIC), source_id="R130001", title="PACS Administrator (R130001)",
                         url=CLINIC.url.replace("R123456", "R130001"))
        new_id = st.upsert_postings([repost], now=week).ids[0]
        st.close_missing("workday:cleveland-clinic", {"R130001"}, now=week)
        assert st.link_duplicates([new_id]) == 1
        # The open repost is the canonical now; the closed original points at it, no chain.
        assert st.get_posting(clinic).duplicate_of == new_id
        assert st.get_posting(new_id).duplicate_of is None

        # USAJOBS closes the VA posting: its open aggregator copy takes over the group.
        st.close_missing("usajobs", set(), now=week)
        assert st.get_posting(agg).duplicate_of is None
        assert st.get_posting(va).duplicate_of == agg

        # Outside the window nothing links.
        late = replace(plain(METRO), source_id="2025-0001", source="jsonld:metrohealth")
        late_id = st.upsert_postings([late], now=T0 + timedelta(days=200)).ids[0]
        assert st.link_duplicates([late_id], window_days=60) == 0


def test_merging_groups_never_chains(db_url):
    with open_store(db_url) as st:
        a = plain(replace(CLINIC, source="jsonld:indeed-like", source_id="i1",
                          url="https://www.indeed.com/viewjob?jk=1"))
        b = plain(replace(CLINIC, source="jsonld:dice-like", source_id="d1",
                          url="https://www.dice.com/job-detail/1"))
        ia = st.upsert_postings([a], now=T0).ids[0]
        ib = st.upsert_postings([b], now=T0 + timedelta(hours=1)).ids[0]
        st.link_duplicates([ib])
        assert st.get_posting(ib).duplicate_of == ia  # earliest of two aggregators
        ic = st.upsert_postings([plain(CLINIC)], now=T0 + timedelta(days=1)).ids[0]
        st.link_duplicates([ic])
        assert {st.get_posting(i).duplicate_of for i in (ia, ib)} == {ic}
        assert st.get_posting(ic).duplicate_of is None


def test_changed_posting_leaves_its_group(db_url):
    with open_store(db_url) as st:
        ids = st.upsert_postings([plain(VA), plain(VA_ON_AGGREGATOR)], now=T0).ids
        st.link_duplicates(ids)
        assert st.get_posting(ids[1]).duplicate_of == ids[0]
        changed = replace(plain(VA_ON_AGGREGATOR), title="Radiologic Technologist", description_text=METRO_TEXT)
        counts = st.upsert_postings([changed], now=T0 + timedelta(days=1))
        assert st.link_duplicates(counts.changed_ids) == 1
        assert st.get_posting(ids[1]).duplicate_of is None


@pytest.mark.parametrize("raw,expected", [
    ("The Cleveland Clinic Foundation", "cleveland"),
    ("Cleveland Clinic", "cleveland"),
    ("Department of Veterans Affairs", "veterans"),
    ("VA Medical Center", "veterans"),
    ("  ", None),
    (None, None),
])
def test_employer_block(raw, expected):
    from pacsjobs.understand.dedupe import employer_block

    assert employer_block(raw) == expected
