"""Adzuna job search API, US index (developer.adzuna.com).

``GET https://api.adzuna.com/v1/api/jobs/us/search/{page}?app_id=&app_key=&what=&where=&results_per_page=&max_days_old=&sort_by=date``
(page is 1-based; ``results_per_page`` up to 50). The response: ``count``, ``mean``,
``results[]{id, title, description (truncated), created, redirect_url, company.display_name,
location.display_name, location.area[], latitude, longitude, salary_min, salary_max,
salary_is_predicted, contract_type, contract_time, category{label, tag}}``; every object also
carries ``__CLASS__`` ("Adzuna::API::Response::Job", ...).

Quirks: ``salary_is_predicted`` is "1" / "0" (a string; some clients see a number) and a
predicted salary is Adzuna's estimate, never the employer's pay: it is kept as an estimate
(``extra["salary_estimate"]``), not as stated pay. ``location.area`` runs country, state,
county, city ("US", "Ohio", "Cuyahoga County", "Cleveland"). Terms: about 25 calls a minute and
250 a day on the free tier, and shown listings carry the "Jobs by Adzuna" credit (``CREDIT``).
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from pacsjobs.errors import ParseError, SourceError
from pacsjobs.record import RawPosting, RawSalary
from pacsjobs.sources.common import Entries, load_json, read_entries, text_or_none, whole_number
from pacsjobs.sources.nationwide import CREDITS, SNIPPET_ONLY, check_search_options, snippet_html

if TYPE_CHECKING:
    from pacsjobs.config import SourceConfig

DEFAULT_BASE_URL = "https://api.adzuna.com"
APP_ID_ENV = "ADZUNA_APP_ID"
APP_KEY_ENV = "ADZUNA_APP_KEY"
MISSING_KEY = f"adzuna: set {APP_ID_ENV} and {APP_KEY_ENV} (free key: https://developer.adzuna.com/signup)"
CREDIT = CREDITS["adzuna"]  # required wherever its listings are shown
ESTIMATE = "salary_estimate"  # RawPosting.extra key of a predicted salary
DEFAULTS: dict[str, Any] = {
    "keywords": ["PACS administrator", "PACS analyst", "imaging informatics"],
    "results_per_page": 50,  # the API's maximum
    "max_days_old": 30,
    "max_requests": 25,  # API calls per run (the free tier allows about 250 a day)
    "max_pages": 10,  # per keyword: a search that never ends stops here (the run is incomplete)
    "follow_links": 25,  # full postings fetched behind result links, per run (not API calls)
}
_NUMBERS = {"results_per_page": (1, 50), "max_days_old": (1, 365), "max_requests": (1, 1000),
            "max_pages": (1, 100), "follow_links": (0, 1000)}
_CONTRACT_TIME = {"full_time": "full time", "part_time": "part time"}


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Validate an adzuna entry (keywords, where, results_per_page, max_days_old, max_requests,
    max_pages, follow_links)."""
    return check_search_options(options, "adzuna", _NUMBERS, texts=("where",))


def settings(options: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULTS, **options}


def credentials() -> tuple[str, str]:
    """(app id, app key) from the environment; SourceError (one line, how to get a key) when unset."""
    app_id, app_key = os.environ.get(APP_ID_ENV, "").strip(), os.environ.get(APP_KEY_ENV, "").strip()
    if not app_id or not app_key:
        raise SourceError(MISSING_KEY)
    return app_id, app_key


def search_url(base_url: str, app_id: str, app_key: str, keyword: str, page: int,
               options: dict[str, Any]) -> str:
    """One page (1-based) of a keyword's search, newest first."""
    opts = settings(options)
    query: dict[str, Any] = {"app_id": app_id, "app_key": app_key, "what": keyword,
                             "results_per_page": opts["results_per_page"],
                             "max_days_old": opts["max_days_old"], "sort_by": "date"}
    if opts.get("where"):
        query["where"] = opts["where"]
    return f"{base_url.rstrip('/')}/v1/api/jobs/us/search/{page}?{urlencode(query)}"


def redact(url: str) -> str:
    """A request URL fit for logs and run messages: the app key is a secret."""
    app_key = os.environ.get(APP_KEY_ENV, "").strip()
    return url.replace(app_key, "***") if app_key else url


def first_page_request(source: SourceConfig) -> tuple[str, str, dict[str, str], bytes | None]:
    """(method, url, headers, body) of the first page, for ``pacsjobs sources --check``."""
    app_id, app_key = credentials()
    opts = settings(source.options)
    base = source.base_url or DEFAULT_BASE_URL
    url = search_url(base, app_id, app_key, opts["keywords"][0], 1, opts)
    return "GET", url, {"Accept": "application/json"}, None


# -- parsing ----------------------------------------------------------------------------------


def _envelope(payload: Any, url: str) -> dict[str, Any]:
    data = load_json(payload, url)
    if not isinstance(data, dict) or not ("results" in data or "count" in data):
        raise ParseError(f"{redact(url) or 'payload'}: not an Adzuna search response (no results, no count)")
    return data


def reported_total(payload: Any, url: str = "") -> int | None:
    """``count``: postings of the whole search."""
    return whole_number(_envelope(payload, url).get("count"))


def pages_for(total: int | None, per_page: int) -> int:
    """How many pages of ``per_page`` results hold ``total`` (at least one)."""
    return max(math.ceil((total or 0) / per_page), 1)


def _predicted(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true")


def _location(location: Any) -> str | None:
    """"Cleveland, Ohio" from ``area`` (country, state, county, city), else the display name."""
    if not isinstance(location, dict):
        return None
    area = [a.strip() for a in location.get("area") or [] if isinstance(a, str) and a.strip()]
    state = area[1] if len(area) >= 2 else None
    city = area[-1] if len(area) >= 3 and not area[-1].lower().endswith(" county") else None
    if state and city:
        return f"{city}, {state}"
    return state or text_or_none(location.get("display_name"))


def _amount(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def parse_result(result: dict[str, Any]) -> RawPosting | None:
    """One ``results`` entry; None without an id or a title."""
    source_id, title = text_or_none(result.get("id")), text_or_none(result.get("title"))
    if not source_id or not title:
        return None
    company = result.get("company") if isinstance(result.get("company"), dict) else {}
    location = _location(result.get("location"))
    low, high = _amount(result.get("salary_min")), _amount(result.get("salary_max"))
    extra: dict[str, Any] = {SNIPPET_ONLY: True}
    salary = None
    if low is not None or high is not None:
        if _predicted(result.get("salary_is_predicted")):
            # Adzuna's own guess from similar ads: an estimate, labelled as one, never pay.
            extra[ESTIMATE] = {"min": low, "max": high, "currency": "USD", "period": "year",
                               "label": "estimate by Adzuna (predicted, not stated by the employer)"}
        else:
            salary = RawSalary(min=low, max=high, currency="USD", unit="year")
    category = result.get("category") if isinstance(result.get("category"), dict) else {}
    contract_type = text_or_none(result.get("contract_type"))
    for key, value in (("latitude", result.get("latitude")), ("longitude", result.get("longitude")),
                       ("category", text_or_none(category.get("label"))),
                       ("contract_type", contract_type),
                       ("adref", text_or_none(result.get("adref")))):
        if value not in (None, ""):
            extra[key] = value
    created = text_or_none(result.get("created"))
    return RawPosting(
        source_id=source_id,
        url=text_or_none(result.get("redirect_url")) or "",
        title=title,
        employer=text_or_none(company.get("display_name")),
        locations=[location] if location else [],
        country="US",  # the US index
        employment_type=("contract" if contract_type == "contract"
                         else _CONTRACT_TIME.get(text_or_none(result.get("contract_time")) or "")),
        salary=salary,
        date_posted=created,
        description_html=snippet_html(text_or_none(result.get("description"))),
        updated=created,
        extra=extra,
    )


def parse(payload: bytes | str | Any, url: str = "") -> list[RawPosting] | Entries:
    """Every posting of one search response (the whole envelope, as the API returns it)."""
    results = _envelope(payload, url).get("results")
    if results is None:
        return []
    if not isinstance(results, list):
        raise ParseError(f"{redact(url) or 'payload'}: results is not a list")
    return read_entries(results, lambda result: parse_result(result) if isinstance(result, dict) else None)
