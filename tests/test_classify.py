"""The PACS-role classifier, requirement extraction and staffing-agency detection."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacsjobs.understand.classify import (
    Relevance,
    Requirements,
    classify_role,
    extract_degree,
    extract_requirements,
    extract_years,
    is_staffing_agency,
    plain,
)
from pacsjobs.understand.vocabulary import load_vocabulary

CONFIG = Path(__file__).resolve().parent.parent / "config"
PACS_DUTIES = ("Administer the PACS and the RIS, configure DICOM nodes and the modality worklist, "
               "and troubleshoot HL7 interfaces with the vendor.")


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(CONFIG)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("PACS Administrator", PACS_DUTIES),
        ("Sr. PACS Analyst", "Support the imaging systems."),
        ("PACS Specialist", PACS_DUTIES),
        ("PACS Engineer II", PACS_DUTIES),
        ("Manager, PACS Operations", PACS_DUTIES),
        ("PACS Coordinator", "Coordinates upgrades."),
        ("Imaging Informatics Analyst", "Support Epic Radiant."),
        ("Radiology Informatics Specialist", "Support radiologists."),
        ("RIS/PACS Administrator", "Keep the systems running."),
        ("Enterprise Imaging Analyst", "Onboard images into the archive."),
        ("IT Specialist (PACS)", "Serve as system administrator."),
        ("Diagnostic Radiologic Technologist (PACS)", "Serves as PACS administrator for the facility."),
        ("Picture Archiving and Communication Systems (PACS) Technologist", "Monitors image flow."),
        ("Diagnostic Radiologic Technologist (Quality Management Technologist/PACS Administrator)", "QC program."),
        ("Pacs Administrator", "Small imaging center."),
        ("Radiology Systems Administrator", "Administer Visage 7 and PowerScribe."),
        ("DICOM Integration Specialist", "Configure routing."),
        # no PACS in the title: the duties decide
        ("IT Specialist (SYSADMIN)", "Administers the PACS servers, the PACS archive, DICOM routing and HL7 feeds."),
        ("Field Service Engineer", "Install PACS and VNA systems; repair PACS workstations; fix DICOM and HL7 links."),
        ("Clinical Application Specialist", "Implement Visage PACS; configure the PACS; test DICOM and HL7 with the RIS."),
    ],
)
def test_pacs_roles(vocab, title, text):
    rel = classify_role(title, text, vocab)
    assert rel.is_pacs, rel
    assert 0.5 <= rel.score <= 1.0


@pytest.mark.parametrize(
    ("title", "text", "why"),
    [
        ("CT Technologist", "Perform CT scans and send images to PACS. ARRT (CT) required.", "clinical role"),
        ("Radiologic Technologist", "X-rays; check studies in PACS; fix errors in PACS; DICOM issues.", "clinical role"),
        ("Ultrasound Sonographer", "Scan patients and send images to PACS.", "clinical role"),
        ("Registered Nurse - Interventional Radiology", "Review images on PACS.", "clinical role"),
        ("Director, Federal PAC", "Manage the political action committee and FEC filings.", "political action committee"),
        ("PAC Manager", "Run member solicitation for the PAC.", "political action committee"),
        ("Compliance Analyst", "Review contributions of our political action committee.", "political action committee"),
        ("Packaging Operator", "Assemble 6-PACs and 12-PACs on the line.", "packaging"),
        ("Line Lead", "Run the packaging line for multi-PACs.", "packaging"),
        ("PACE Center Manager", "Program of All-Inclusive Care for the Elderly.", "PACE"),
        ("PACS Account Executive", "Sell PACS and VNA; own a quota. " + PACS_DUTIES, "sales role"),
        ("Regional Sales Manager - Enterprise Imaging", "Sell our PACS. DICOM helpful.", "sales role"),
        ("PACS Technician - Physical Security", "Install physical access control systems: card readers, badges.",
         "physical access control"),
        ("FEDERAL PACS COMPLIANCE MANAGER", "File FEC reports for the political action committee.", "political"),
    ],
)
def test_traps_with_their_reason(vocab, title, text, why):
    rel = classify_role(title, text, vocab)
    assert not rel.is_pacs, rel
    assert any(why in r for r in rel.reasons), rel.reasons


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Systems Administrator", "Windows Server, VMware and Active Directory for the hospital."),
        ("Help Desk Technician", "Route tickets for clinical applications such as Epic, PACS and the lab system."),
        ("Network Engineer", "Support clinical systems such as the EHR and PACS with quality of service."),
        ("Interface Analyst", "HL7 interfaces between the EHR and the lab in Mirth Connect."),
        ("Data Analyst", "Dashboards for the Paris and Morris clinics."),
        ("Document Imaging Specialist", "Scan and index paper records."),
        ("Director of Imaging Services", "Lead radiology operations; partner with IT on PACS and RIS needs."),
        ("Medical Records Clerk", ""),
    ],
)
def test_not_pacs_work(vocab, title, text):
    assert not classify_role(title, text, vocab).is_pacs


def test_reasons_give_the_evidence(vocab):
    rel = classify_role("PACS Administrator", PACS_DUTIES, vocab)
    assert rel.reasons[0] == 'title says "PACS Administrator"'
    assert "description mentions RIS, DICOM, modality worklist, HL7" in rel.reasons
    rel = classify_role("CT Technologist", "Send images to PACS.", vocab)
    assert rel.reasons == ['title is a clinical role ("Technologist") without PACS in it', "description names PACS once"]


def test_more_evidence_scores_higher(vocab):
    thin = classify_role("Field Service Engineer", "Install PACS; repair PACS; DICOM.", vocab)
    rich = classify_role("Field Service Engineer", "Install PACS; repair PACS; DICOM, HL7, RIS, VNA and IHE.", vocab)
    assert rich.score > thin.score


def test_html_description(vocab):
    html = "<p>Administer the <b>PACS</b>&nbsp;and&nbsp;<i>DICOM</i> routing.</p><ul><li>HL7 &amp; RIS</li></ul>"
    assert plain(html).split() == ["Administer", "the", "PACS", "and", "DICOM", "routing.", "HL7", "&", "RIS"]
    rel = classify_role("Imaging Specialist", html + " PACS upgrades.", vocab)
    assert rel.is_pacs


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.text(max_size=2000))
def test_never_raises(title, text):
    vocab = load_vocabulary(CONFIG)
    rel = classify_role(title, text, vocab)
    assert isinstance(rel, Relevance) and 0.0 <= rel.score <= 1.0
    req = extract_requirements(text, vocab, title)
    assert isinstance(req, Requirements)
    assert req.degree in (None, "associate", "bachelor", "master", "doctorate")
    assert req.years_min is None or 0 < req.years_min <= 40
    is_staffing_agency(title, text)


@pytest.mark.parametrize("bad", [None, 12, b"PACS", ["PACS"]])
def test_non_text_input(vocab, bad):
    assert classify_role(bad, bad, vocab).is_pacs is False
    assert extract_requirements(bad, vocab, bad) == Requirements()
    assert is_staffing_agency(bad, bad) is False


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("3-5 years of experience in PACS", 3),
        ("Minimum of three (3) years experience in radiology", 3),
        ("at least 2 years of PACS experience; 5+ years preferred", 2),
        ("5+ years of imaging informatics experience", 5),
        ("two years of experience required", 2),
        ("Experience: 4+ years", 4),
        ("one year of specialized experience equivalent to GS-11", 1),
        ("a year of experience with DICOM", 1),
        ("3 yrs. experience", 3),
        ("2 or more years of experience", 2),
        ("3 years of PACS administration", 3),
        ("7+ years of capital equipment sales", 7),
        ("Five years of IT experience, including 2 years with PACS.", 5),
        ("Two years as a technologist, one year of which must include PACS duties.", 2),
        ("5 years of experience, or 3 years with a bachelor's degree.", 3),
        ("Master's degree; or bachelor's degree with 8 years of experience. Minimum 5 years of informatics experience.", 5),
        ("Five years experience in Diagnostic Imaging.\nTwo years PACS and RIS experience.", 5),
        ("Associate degree and 4 years of experience, or a bachelor's degree and 2 years of experience.", 2),
        ("Eligibility period (one to five years) is set by the program office.", None),
        ("You will serve a 1 or 2-year trial period.", None),
        ("5 years of experience preferred", 5),
        ("2 years required. 5 years preferred.", 2),
        ("We have over 100 years of history", None),
        ("Founded in 2026", None),
        ("Awards for 5, 10 and 20 years of service", None),
        ("Must be 18 years of age", None),
        ("Serving the community for 25 years.", None),
        ("Certification within 2 years of hire", None),
        ("A two-year degree in radiologic technology", None),
        ("Vesting after 3 years", None),
        ("", None),
    ],
)
def test_years(text, years):
    assert extract_years(text) == years


@pytest.mark.parametrize(
    ("text", "degree", "or_experience"),
    [
        ("Bachelor's degree required", "bachelor", False),
        ("Associate's degree required; bachelor's degree preferred", "associate", False),
        ("Bachelor's degree required, Master's preferred", "bachelor", False),
        ("Master's degree in health informatics", "master", False),
        ("MBA or MHA", "master", False),
        ("PhD or master's degree in medical physics", "master", False),
        ("Doctor of Physical Therapy (DPT) required", "doctorate", False),
        ("Ph.D. in computer science", "doctorate", False),
        ("BS/BA in computer science", "bachelor", False),
        ("BSN preferred", "bachelor", False),
        ("four-year degree", "bachelor", False),
        ("Bachelor's degree or equivalent experience", "bachelor", True),
        ("Associate degree or two years of IT experience in lieu of degree", "associate", True),
        ("Associate's or equivalent combination of education and experience", "associate", True),
        ("certificate or an associate degree", "associate", False),
        ("Tuition reimbursement toward a master's degree", None, False),
        ("Master Patient Index cleanup", None, False),
        ("Patient Care Associate", None, False),
        ("High school diploma", None, False),
        ("Proficient in MS Office", None, False),
    ],
)
def test_degree(text, degree, or_experience):
    assert extract_degree(text) == (degree, or_experience)


def test_requirements_from_title_and_text(vocab):
    req = extract_requirements(
        "Requires R.T.(R)(CT) and CIIP. Bachelor's degree or equivalent experience. 3-5 years of DICOM experience.",
        vocab, title="PACS Administrator")
    assert req == Requirements(skills=["PACS administration", "PACS", "DICOM"],
                               certifications=["ARRT", "ARRT (CT)", "CIIP"], degree="bachelor",
                               degree_or_experience=True, years_min=3.0)


@pytest.mark.parametrize(
    ("employer", "text", "agency"),
    [
        ("Aya Healthcare", "Travel PACS role", True),
        ("AMN Healthcare", "", True),
        ("Cross Country Healthcare", "", True),
        ("Kforce", "", True),
        ("Robert Half Technology", "", True),
        ("TEKsystems", "", True),
        ("Insight Global", "", True),
        ("Actalent", "", True),
        ("Acme Staffing LLC", "", True),
        ("", "We are hiring on behalf of our client, a large health system.", True),
        ("Confidential", "Our client is seeking a PACS Administrator.", True),
        ("Cleveland Clinic", "Join our PACS team.", False),
        ("Veterans Health Administration", "Serves as PACS administrator.", False),
        (None, "", False),
    ],
)
def test_staffing_agency(employer, text, agency):
    assert is_staffing_agency(employer, text) is agency
