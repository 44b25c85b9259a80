"""The schema.org JobPosting parser on saved career pages (tests/fixtures/jsonld/)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pacsjobs.record import RawSalary
from pacsjobs.sources import jsonld

FIX = Path(__file__).parent / "fixtures" / "jsonld"
PAGE = "https://careers.example-health.org/us/en/job/R24-118273/PACS-Administrator"


def load(name: str, url: str = PAGE):
    return jsonld.parse((FIX / name).read_bytes(), url)


@pytest.fixture(scope="module")
def google():
    (posting,) = load("google_guide.html", "https://www.example.com/jobs/software-engineer")
    return posting


@pytest.fixture(scope="module")
def phenom():
    (posting,) = load("phenom_pacs_administrator.html")
    return posting


@pytest.fixture(scope="module")
def remote():
    (posting,) = load("google_remote.html", "https://jobs.example.org/remote-pacs-analyst")
    return posting


@pytest.fixture(scope="module")
def graph():
    return load("graph_listing.html", "https://jobs.lakeside-imaging.example/radiology-it/")


# -- Google's guide example ----------------------------------------------------------------
def test_google_title(google):
    assert google.title == "Software Engineer"


def test_google_identifier_is_source_id(google):
    assert google.source_id == "1234567"


def test_google_url_is_the_page(google):
    assert google.url == "https://www.example.com/jobs/software-engineer"


def test_google_employer(google):
    assert google.employer == "Google"


def test_google_location_city_state_zip(google):
    assert google.locations == ["Mountain View, CA 94043"]
    assert google.country == "US"


def test_google_hourly_salary_kept_raw(google):
    assert google.salary == RawSalary(min=40.0, max=40.0, currency="USD", unit="HOUR", text=None)


def test_google_dates_raw(google):
    assert (google.date_posted, google.valid_through) == ("2017-01-18", "2017-03-18T00:00")


def test_google_employment_type(google):
    assert google.employment_type == "CONTRACTOR"


def test_google_description_html(google):
    assert google.description_html.startswith("<p>Google aspires")


def test_google_not_remote(google):
    assert google.workplace is None


# -- a Phenom-style hospital page ----------------------------------------------------------
def test_phenom_escaped_description_unescaped(phenom):
    assert phenom.description_html.startswith("<p><b>Job Summary</b></p>")
    assert "&lt;" not in phenom.description_html
    assert "Bachelor's Degree" in phenom.description_html


def test_phenom_several_places(phenom):
    assert phenom.locations == ["Valparaiso, IN 46383", "La Porte, IN 46350"]


def test_phenom_salary_range_year(phenom):
    assert (phenom.salary.min, phenom.salary.max, phenom.salary.unit, phenom.salary.currency) == (
        82000, 98500, "YEAR", "USD")


def test_phenom_ignores_breadcrumb_block(phenom):
    assert phenom.title == "PACS Administrator" and phenom.source_id == "R24-118273"


def test_phenom_iso_datetime_kept(phenom):
    assert phenom.date_posted == "2026-11-10T00:00:00.000Z"


# -- remote posting -------------------------------------------------------------------------
def test_remote_telecommute(remote):
    assert remote.workplace == "TELECOMMUTE"
    assert remote.locations == []


def test_remote_applicant_location_country(remote):
    assert remote.country == "USA"
    assert remote.extra["applicant_locations"] == ["USA"]


def test_remote_organization_as_string(remote):
    assert remote.employer == "Example Imaging Partners"


def test_remote_identifier_as_string(remote):
    assert remote.source_id == "RAD-88412"


def test_remote_employment_type_list(remote):
    assert remote.employment_type == "FULL_TIME, CONTRACTOR"


def test_remote_plain_number_salary(remote):
    assert (remote.salary.min, remote.salary.max, remote.salary.unit) == (95000, 95000, None)


# -- @graph with two postings and @id references --------------------------------------------
def test_graph_finds_both_postings(graph):
    assert [p.title for p in graph] == ["PACS Systems Administrator", "Radiology Information Systems Analyst"]


def test_graph_resolves_organization_reference(graph):
    assert {p.employer for p in graph} == {"Lakeside Imaging Group"}


def test_graph_posting_url_becomes_source_id(graph):
    assert graph[0].url == "https://jobs.lakeside-imaging.example/jobs/pacs-systems-administrator"
    assert graph[0].source_id == graph[0].url


def test_graph_country_object(graph):
    assert graph[0].country == "US"


def test_graph_string_amounts_kept_as_strings(graph):
    assert (graph[0].salary.min, graph[0].salary.max) == ("85000.00", "99000.00")


def test_graph_salary_text_value(graph):
    assert graph[1].salary == RawSalary(currency="USD", text="$34 - $41 an hour")


def test_graph_address_as_plain_string(graph):
    assert graph[1].locations == ["Green Bay, WI 54301"]


def test_several_postings_without_ids_get_indexed_ids():
    page = """<script type="application/ld+json">[
      {"@context": "https://schema.org", "@type": "JobPosting", "title": "PACS Analyst"},
      {"@context": "https://schema.org", "@type": "JobPosting", "title": "RIS Analyst"}]</script>"""
    postings = jsonld.parse(page, "https://x.example/jobs")
    assert [p.source_id for p in postings] == ["https://x.example/jobs#1", "https://x.example/jobs#2"]


def test_single_posting_without_id_uses_page_url():
    page = '<script type="application/ld+json">{"@type": "JobPosting", "title": "PACS Analyst"}</script>'
    assert jsonld.parse(page, "https://x.example/j/1")[0].source_id == "https://x.example/j/1"


def test_posting_nested_in_another_type():
    page = """<script type="application/ld+json">{"@context": "https://schema.org", "@type": "ItemPage",
      "mainEntity": {"@type": ["JobPosting"], "title": "Imaging Informatics Analyst",
                     "identifier": {"@type": "PropertyValue", "value": 88}}}</script>"""
    (posting,) = jsonld.parse(page, "https://x.example/j")
    assert (posting.title, posting.source_id) == ("Imaging Informatics Analyst", "88")


def test_workday_country_name_and_city_with_state_name():
    (posting,) = load("workday_detail.html", "https://ccf.wd1.myworkdayjobs.com/job/R0012345")
    assert posting.locations == ["Cleveland, Ohio"]
    assert posting.country == "United States of America"
    assert posting.salary is None


def test_description_sections_appended_when_separate():
    page = """<script type="application/ld+json">{"@type": "JobPosting", "title": "PACS Admin",
      "description": "<p>Run the PACS.</p>", "qualifications": "ARRT (R) required",
      "educationRequirements": {"@type": "EducationalOccupationalCredential", "credentialCategory": "bachelor degree"},
      "experienceRequirements": {"@type": "OccupationalExperienceRequirements", "monthsOfExperience": 36}}</script>"""
    (posting,) = jsonld.parse(page, "https://x.example/j")
    assert posting.description_html == ("<p>Run the PACS.</p><h3>Qualifications</h3><p>ARRT (R) required</p>"
                                        "<h3>Education</h3><p>bachelor degree</p>"
                                        "<h3>Experience</h3><p>36 months of experience</p>")


# -- microdata -----------------------------------------------------------------------------
def test_microdata_posting():
    (posting,) = load("microdata.html", "https://careers-riverside.icims.com/jobs/14412/job")
    assert posting.title == "PACS Specialist"
    assert posting.source_id == "2026-14412"
    assert posting.employer == "Riverside Medical Center"
    assert posting.locations == ["Kankakee, IL 60901"]
    assert posting.country == "US"
    assert posting.employment_type == "PER_DIEM"
    assert posting.date_posted == "2026-11-05"
    assert posting.salary == RawSalary(min="31.25", max="44.80", currency="USD", unit="HOUR")
    assert "<b>PACS</b>" in posting.description_html
    assert posting.extra["format"] == "microdata"


def test_microdata_ignored_when_json_ld_present():
    page = ((FIX / "google_guide.html").read_text()
            + '<div itemscope itemtype="https://schema.org/JobPosting"><h1 itemprop="title">Other</h1></div>')
    assert [p.title for p in jsonld.parse(page, "https://x.example/")] == ["Software Engineer"]


# -- broken JSON-LD --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def broken():
    return jsonld.parse_page((FIX / "broken_lenient.html").read_bytes(), "https://mercy.example/careers")


def test_broken_block_counted_and_others_read(broken):
    postings, bad = broken
    assert bad == 1
    assert [p.source_id for p in postings] == ["MR-5521", "MR-5530", "MR-5540"]


def test_trailing_commas_and_raw_newlines_read(broken):
    first = broken[0][0]
    assert first.title == "PACS Administrator - Radiology"
    assert first.description_html == ("<p>Line one of the duties.\nLine two after a raw newline.\t"
                                      "A raw tab too.</p>")
    assert first.locations == ["Springfield, MO 65804"]


def test_epoch_date_and_zero_salary_kept_raw(broken):
    first = broken[0][0]
    assert first.date_posted == "1763078400"
    assert (first.salary.min, first.salary.max, first.salary.unit) == (0.0, 0.0, "YEAR")


def test_commented_out_script_and_cdata_read(broken):
    titles = [p.title for p in broken[0]]
    assert "Imaging Informatics Coordinator" in titles and "CT Technologist" in titles


def test_bom_at_start_of_block():
    page = '<script type="application/ld+json">\ufeff{"@type": "JobPosting", "title": "PACS Lead"}</script>'
    assert jsonld.parse_page(page.encode(), "https://x.example/")[0][0].title == "PACS Lead"


def test_html_escaped_block():
    page = ('<script type="application/ld+json">{&quot;@type&quot;: &quot;JobPosting&quot;, '
            '&quot;title&quot;: &quot;PACS Lead&quot;}</script>')
    assert jsonld.parse(page, "https://x.example/")[0].title == "PACS Lead"


@pytest.mark.parametrize("payload", [b"", b"not html at all", b"<html><body>no jobs</body></html>",
                                     b"\x00\xff\xfe binary", "<p>caf\u00e9</p>"])
def test_pages_without_postings(payload):
    assert jsonld.parse_page(payload, "https://x.example/") == ([], 0)


def test_posting_without_title_counted_as_broken():
    page = '<script type="application/ld+json">{"@type": "JobPosting", "identifier": "7"}</script>'
    assert jsonld.parse_page(page, "https://x.example/") == ([], 1)


# -- links and sitemaps ----------------------------------------------------------------------
def test_links_follow_pattern_absolute_deduplicated():
    page = (FIX / "site" / "careers.html").read_bytes().replace(b"{{BASE_URL}}", b"http://127.0.0.1:9")
    found = jsonld.links(page, "http://127.0.0.1:9/jsonld/site/careers.html", r"/jobs/")
    assert found == [
        "http://127.0.0.1:9/jsonld/site/jobs/pacs-administrator.html",
        "http://127.0.0.1:9/jsonld/site/jobs/imaging-informatics-analyst.html",
        "http://127.0.0.1:9/jsonld/site/jobs/registered-nurse.html",
    ]  # the second link to the PACS page differs only by utm_source: the same page


def test_links_without_pattern_skip_mailto():
    page = (FIX / "site" / "careers.html").read_bytes()
    found = jsonld.links(page, "http://h.example/jsonld/site/careers.html", None)
    assert "http://h.example/jsonld/site/about.html" in found
    assert not any(u.startswith("mailto:") for u in found)


def test_sitemap_index_lists_child_sitemaps():
    data = (FIX / "site" / "sitemap.xml").read_bytes()
    assert jsonld.sitemap_urls(data, r"/jobs/") == ["{{BASE_URL}}/jsonld/site/sitemap-jobs.xml"]


def test_sitemap_urlset_filtered_with_lastmod():
    data = (FIX / "site" / "sitemap-jobs.xml").read_bytes()
    kind, entries = jsonld.sitemap_entries(data)
    assert kind == "urlset" and len(entries) == 4
    assert entries[1] == ("{{BASE_URL}}/jsonld/site/jobs/pacs-administrator.html", "2026-11-16T09:30:00+00:00")
    assert len(jsonld.sitemap_urls(data, r"/jobs/")) == 3


def test_gzipped_sitemap():
    import gzip

    data = gzip.compress((FIX / "site" / "sitemap-jobs.xml").read_bytes())
    assert len(jsonld.sitemap_urls(data, None)) == 4


def test_not_a_sitemap():
    assert jsonld.sitemap_entries(b"<html><body>oops</body></html>")[0] == "invalid"


# -- options ---------------------------------------------------------------------------------
def test_check_options_ok():
    assert jsonld.check_options({"urls": ["https://a.example/jobs"], "follow": r"/job/\d+"}) == {
        "urls": ["https://a.example/jobs"], "follow": r"/job/\d+", "sitemap": None}


@pytest.mark.parametrize(("options", "message"), [
    ({}, "urls: a jsonld source needs urls or a sitemap"),
    ({"urls": ["ftp://a.example/"]}, "urls: must be an http(s) URL, got 'ftp://a.example/'"),
    ({"urls": "https://a.example/", "follow": "(["}, "follow: invalid regular expression '(['"),
    ({"sitemap": "sitemap.xml"}, "sitemap: must be an http(s) URL, got 'sitemap.xml'"),
    ({"urls": ["https://a.example/"], "pages": 3}, "pages: unknown key for a jsonld source"),
])
def test_check_options_errors(options, message):
    with pytest.raises(ValueError) as info:
        jsonld.check_options(options)
    assert str(info.value).startswith(message)


# -- the fast paths agree with the plain library calls -------------------------------------------
_FIXTURES = Path(__file__).parent / "fixtures"
# What _ld_json_blocks must find: the script elements as one regex reads them (slow, and exact).
_SCRIPT_RE = re.compile(jsonld._SCRIPT_TAG_RE.pattern + rb"(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_PAGES = sorted(_FIXTURES.rglob("*.html"))


@pytest.mark.parametrize("page", _PAGES, ids=lambda p: str(p.relative_to(_FIXTURES)))
def test_ld_json_blocks_are_the_script_regex_matches(page):
    data = page.read_bytes()
    assert jsonld._ld_json_blocks(data) == [m.group(1) for m in _SCRIPT_RE.finditer(data)]


_TAGS = ['<script type="application/ld+json">', "<SCRIPT TYPE='APPLICATION/LD+JSON' id=x>", "<script>",
         '<script src="a.js"></script>', "</script>", "</SCRIPT >", "application/ld+json", "<scripts>",
         '<script data-x="1" type=application/ld+json>', "{}", ">", "<", " "]


@given(st.lists(st.sampled_from(_TAGS), max_size=12))
def test_ld_json_blocks_agree_on_any_tag_soup(parts):
    data = "".join(parts).encode()
    assert jsonld._ld_json_blocks(data) == [m.group(1) for m in _SCRIPT_RE.finditer(data)]


_ENTITIES = ["&lt;", "&gt;", "&amp;", "&quot;", "&#34;", "&#39;", "&nbsp;", "&amp;lt;", "&LT;", "&lt", "&#x3C;",
             "&eacute;", "&", ";", "amp;", "<p>", "a", " "]


@given(st.lists(st.sampled_from(_ENTITIES), max_size=16))
def test_unescape_is_html_unescape(parts):
    import html

    text = "".join(parts)
    assert jsonld.unescape(text) == html.unescape(text)
