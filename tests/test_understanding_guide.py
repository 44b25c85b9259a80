"""The guide's whole duty list in the vocabulary (technical vs non-technical), and product roles at
imaging companies that are not PACS administration."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacsjobs.errors import ConfigError
from pacsjobs.understand.classify import classify_role
from pacsjobs.understand.vocabulary import load_vocabulary, parse_terms

CONFIG = Path(__file__).resolve().parent.parent / "config"


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(CONFIG)


# (the posting's own words, a skill they name) -- wordings of real postings
@pytest.mark.parametrize("text, skill", [
    ("Serves as a liaison between the healthcare facility, PACS vendors, radiologists", "vendor management"),
    ("Monitors system performance and escalates hardware or software issues to vendors as necessary.",
     "vendor management"),
    ("Manage vendor escalations for the enterprise imaging platform.", "vendor management"),
    ("Train radiologists and technologists on new PACS workstations.", "user training"),
    ("provides guidance, direction and training to all radiology staff", "user training"),
    ("Supervisory experience is preferred.", "supervising staff"),
    ("The PACS Administrator supervises a group of para-professional staff.", "supervising staff"),
    ("Develop an equipment service programme to ensure that equipment performance is optimal", "medical equipment management"),
    ("Install, configure, test, maintain, monitor, and troubleshoot PACS", "testing and upgrades"),
    ("Acts as a liaison between the Radiology department and customers.", "radiology liaison"),
    ("Act as a liaison between special modality staff, radiologists, clerical staff", "radiology liaison"),
    ("Experience with Windows Server 2019 and Red Hat Linux", "Windows Server"),
    ("VMware vSphere and Hyper-V virtualization", "VMware"),
    ("SAN/NAS storage for the image archive", "storage (SAN/NAS)"),
    ("Active Directory and LDAP user provisioning", "Active Directory"),
    ("Write SQL queries against the RIS database", "SQL"),
    ("Automate checks with PowerShell and Python scripts", "scripting"),
    ("Build HL7 feeds in Mirth Connect, Rhapsody or Cloverleaf", "interface engines"),
])
def test_guide_duties_and_platforms(vocab, text, skill):
    assert skill in vocab.skills(text)


@pytest.mark.parametrize("text, skill", [
    ("Works under the supervision of the Director of Radiology.", "supervising staff"),
    ("Does not have direct reports.", "supervising staff"),
    ("Operates the Radiology Package in DHCP and VistA Imaging.", "networking"),
])
def test_not_the_duty(vocab, text, skill):
    assert skill not in vocab.skills(text)


def test_people_duties_are_non_technical(vocab):
    for name in ("vendor management", "user training", "supervising staff", "medical equipment management",
                 "testing and upgrades", "radiology liaison"):
        assert vocab.term(name).area == "non-technical", name
    for name in ("PACS", "DICOM", "Windows Server", "scripting", "interface engines"):
        assert vocab.term(name).area == "technical", name


def test_area_is_validated(tmp_path):
    with pytest.raises(ConfigError, match="area"):
        parse_terms({"terms": [{"name": "x", "kind": "skill", "area": "soft", "aliases": ["x"]}]}, tmp_path / "s.toml")


@pytest.mark.parametrize("title", [
    "Senior Software Engineer - PACS Viewer",
    "Site Reliability Engineer, Enterprise Imaging Cloud",
    "Monitoring Engineer (PACS/VNA Platform)",
    "Product Manager, Enterprise Imaging",
    "Data Scientist - Radiology AI",
])
def test_product_roles_at_imaging_companies_are_not_pacs_roles(vocab, title):
    text = "Our PACS and VNA platform: DICOM routing, HL7 interfaces, modality worklist, PACS uptime."
    verdict = classify_role(title, text, vocab)
    assert not verdict.is_pacs and "not PACS administration" in verdict.reasons[0]


@pytest.mark.parametrize("title", ["PACS Administrator", "Senior PACS Engineer", "Imaging Integration Engineer",
                                   "PACS Support Engineer"])
def test_admin_and_integration_titles_stay_pacs_roles(vocab, title):
    assert classify_role(title, "Supports the PACS: DICOM, HL7.", vocab).is_pacs
