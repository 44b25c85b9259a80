"""Source parsers: one pure module per platform, ``payload -> list[RawPosting]``.

Every platform module defines:

- ``DEFAULT_BASE_URL``: the public endpoint's base, overridable per source (``base_url``).
- ``parse(payload: bytes | str, url: str = "") -> list[RawPosting]``: a listing response exactly
  as the source returns it (the whole envelope); raises ``ParseError`` when it is not that shape.
- optionally ``parse_detail(payload, url="", listing: RawPosting | None = None) -> RawPosting``
  for platforms whose listing lacks the description; ``reported_total(payload, url="") -> int | None``;
  ``check_options(options: dict) -> dict`` validating the platform's keys in sources.toml
  (raise ``ValueError("key: problem")``); ``first_page_request(source)`` for ``sources --check``,
  and ``check_page(payload, url, options)`` where that first page is no listing: an HTML page
  naming the API (Taleo's portal number, HealthcareSource's version token) or a sitemap (Phenom);
  it raises ``ParseError`` when the page is not that, else returns a count or None.
  ``CHECK_EXPECTS`` names what that first page is, when not JSON ("a sitemap"), for ``--check``.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

PLATFORMS: dict[str, str] = {
    "jsonld": "pacsjobs.sources.jsonld",
    "usajobs": "pacsjobs.sources.usajobs",
    "workday": "pacsjobs.sources.workday",
    "oracle": "pacsjobs.sources.oracle",
    "greenhouse": "pacsjobs.sources.greenhouse",
    "lever": "pacsjobs.sources.lever",
    "smartrecruiters": "pacsjobs.sources.smartrecruiters",
    "ashby": "pacsjobs.sources.ashby",
    "ukg": "pacsjobs.sources.ukg",
    "taleo": "pacsjobs.sources.taleo",
    "healthcaresource": "pacsjobs.sources.healthcaresource",
    "neogov": "pacsjobs.sources.neogov",
    "careeronestop": "pacsjobs.sources.careeronestop",
    "adzuna": "pacsjobs.sources.adzuna",
    "icims": "pacsjobs.sources.icims",
    "phenom": "pacsjobs.sources.phenom",
    "jobvite": "pacsjobs.sources.jobvite",
    "successfactors": "pacsjobs.sources.successfactors",
}


def platform_module(platform: str) -> ModuleType:
    """The parser module of ``platform``; ValueError for an unknown name."""
    try:
        return importlib.import_module(PLATFORMS[platform])
    except KeyError:
        raise ValueError(f"unknown platform {platform!r} (known: {', '.join(sorted(PLATFORMS))})") from None


def check_source_options(platform: str, options: dict[str, Any]) -> dict[str, Any]:
    """Validate a sources.toml entry's platform keys (what is left after the common keys)."""
    module = platform_module(platform)
    check = getattr(module, "check_options", None)
    return check(dict(options)) if check else dict(options)
