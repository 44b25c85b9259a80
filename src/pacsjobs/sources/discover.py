"""Board discovery: which platform and board a career-page or job link belongs to.

Pure functions, except the two at the end that read the file of proposed boards.

One table, ``URL_PATTERNS``, maps link addresses to the platform keys of a ``[[sources]]`` entry;
a second, ``PAGE_MARKERS``, recognises career sites on the employer's own domain (Phenom, SAP
SuccessFactors Career Site Builder, an embedded Greenhouse board, JobPosting JSON-LD) from the
HTML of the page. A link that matches neither is not guessed: ``recognise`` returns None and the
caller reports the host.

The keys written are exactly those of the platforms' sources entries (workday ``url``, oracle
``host``/``site``, greenhouse ``board``, lever ``site``, smartrecruiters ``company``, ashby
``org``, icims/phenom/successfactors/ukg/taleo/healthcaresource ``url``, jobvite ``company``,
neogov ``agency``, jsonld ``urls``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

_ID = r"[A-Za-z0-9][A-Za-z0-9_.-]*"


@dataclass(frozen=True)
class Board:
    """A recognised board: its platform, the keys of its sources entry, how it was recognised."""

    platform: str
    options: dict[str, Any] = field(hash=False)
    via: str = "url"  # url | page

    @property
    def key(self) -> str:
        return board_key(self.platform, self.options)

    @property
    def name(self) -> str:
        return suggested_name(self.platform, self.options)

    def describe(self) -> str:
        """The board keys as ``key=value`` text for one output line."""
        return " ".join(f"{k}={v[0] if isinstance(v, list) else v}" for k, v in self.options.items())


def _root(scheme: str, host: str) -> str:
    return f"{scheme or 'https'}://{host.lower()}"


def _workday(m: re.Match[str], url: str) -> dict[str, Any]:
    return {"url": f"https://{m['tenant'].lower()}.{m['pod'].lower()}.myworkdayjobs.com/{m['site']}"}


def _oracle(m: re.Match[str], url: str) -> dict[str, Any]:
    return {"host": m["host"].lower(), "site": m["site"]}


def _oracle_api(m: re.Match[str], url: str) -> dict[str, Any] | None:
    site = re.search(r"siteNumber=([A-Za-z0-9_]+)", url)
    return {"host": m["host"].lower(), "site": site.group(1)} if site else None


def _group(key: str, lower: bool = False) -> Callable[[re.Match[str], str], dict[str, Any]]:
    def build(m: re.Match[str], url: str) -> dict[str, Any]:
        value = m[key]
        return {key: value.lower() if lower else value}
    return build


def _host_url(m: re.Match[str], url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    return {"url": _root(parts.scheme, parts.hostname or "")}


def _successfactors(m: re.Match[str], url: str) -> dict[str, Any] | None:
    company = parse_qs(urlsplit(url).query).get("company")
    return {"url": f"https://{m['host'].lower()}/career?company={company[0]}"} if company else None


def _ukg(m: re.Match[str], url: str) -> dict[str, Any]:
    return {"url": f"https://{m['host'].lower()}/{m['tenant']}/JobBoard/{m['guid'].lower()}"}


def _taleo(m: re.Match[str], url: str) -> dict[str, Any]:
    return {"url": f"https://{m['tenant'].lower()}.taleo.net/careersection/{m['section']}"}


# (platform, pattern on the whole link, builder of the entry keys; None from a builder = not enough)
URL_PATTERNS: list[tuple[str, re.Pattern[str], Callable[[re.Match[str], str], dict[str, Any] | None]]] = [
    ("workday", re.compile(rf"^https?://(?P<tenant>[\w-]+)\.(?P<pod>wd\d+)\.myworkdayjobs\.com/"
                           rf"(?:[a-z]{{2}}-[A-Z]{{2}}/)?(?P<site>(?!wday/){_ID})", re.I), _workday),
    ("workday", re.compile(rf"^https?://[\w-]+\.(?P<pod>wd\d+)\.myworkdayjobs\.com/wday/cxs/(?P<tenant>[\w-]+)/"
                           rf"(?P<site>{_ID})", re.I), _workday),
    ("workday", re.compile(rf"^https?://(?P<pod>wd\d+)\.myworkdaysite\.com/(?:[a-z]{{2}}-[A-Z]{{2}}/)?recruiting/"
                           rf"(?P<tenant>[\w-]+)/(?P<site>{_ID})", re.I), _workday),
    ("oracle", re.compile(r"^https?://(?P<host>[\w.-]+\.oraclecloud\.com)/hcmUI/CandidateExperience/"
                          r"[a-z]{2}(?:-[A-Z]{2})?/sites/(?P<site>[\w-]+)", re.I), _oracle),
    ("oracle", re.compile(r"^https?://(?P<host>[\w.-]+\.oraclecloud\.com)/hcmRestApi/", re.I), _oracle_api),
    ("greenhouse", re.compile(r"^https?://boards-api\.greenhouse\.io/v1/boards/(?P<board>[\w-]+)", re.I), _group("board", True)),
    ("greenhouse", re.compile(r"^https?://(?:job-)?boards(?:\.eu)?\.greenhouse\.io/embed/job_board(?:/js)?\?for=(?P<board>[\w-]+)",
                              re.I), _group("board", True)),
    ("greenhouse", re.compile(r"^https?://(?:job-)?boards(?:\.eu)?\.greenhouse\.io/(?!embed/)(?P<board>[\w-]+)", re.I),
     _group("board", True)),
    ("lever", re.compile(rf"^https?://(?:jobs|api)(?:\.eu)?\.lever\.co/(?:v0/postings/)?(?P<site>{_ID})", re.I),
     _group("site", True)),
    ("smartrecruiters", re.compile(r"^https?://(?:jobs|careers)\.smartrecruiters\.com/(?P<company>[\w-]+)", re.I),
     _group("company")),
    ("smartrecruiters", re.compile(r"^https?://api\.smartrecruiters\.com/v1/companies/(?P<company>[\w-]+)", re.I),
     _group("company")),
    ("ashby", re.compile(rf"^https?://(?:jobs\.ashbyhq\.com|api\.ashbyhq\.com/posting-api/job-board)/(?P<org>{_ID})", re.I),
     _group("org", True)),
    ("icims", re.compile(r"^https?://(?P<host>[\w-]+\.icims\.com)(?:/|$)", re.I), _host_url),
    ("jobvite", re.compile(r"^https?://jobs\.jobvite\.com/(?P<company>[\w-]+)", re.I), _group("company", True)),
    ("successfactors", re.compile(r"^https?://(?P<host>career\d*\.successfactors\.(?:com|eu))/", re.I), _successfactors),
    ("ukg", re.compile(r"^https?://(?P<host>recruiting\d*\.ultipro\.com)/(?P<tenant>\w+)/JobBoard/"
                       r"(?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})", re.I), _ukg),
    ("taleo", re.compile(r"^https?://(?P<tenant>[\w-]+)\.taleo\.net/careersection/(?P<section>(?!rest/)[\w-]+)", re.I), _taleo),
    ("healthcaresource", re.compile(r"^https?://(?P<host>[\w-]+\.hcshiring\.com)(?:/|$)", re.I), _host_url),
    ("neogov", re.compile(r"^https?://(?:www\.)?governmentjobs\.com/(?:careers|jobs)/(?P<agency>[\w-]+)", re.I),
     _group("agency", True)),
]

# (platform, marker in the page's HTML, builder from the match and the page URL)
PAGE_MARKERS: list[tuple[str, re.Pattern[str], Callable[[re.Match[str], str], dict[str, Any] | None]]] = [
    ("greenhouse", re.compile(r"(?:job-)?boards(?:\.eu)?\.greenhouse\.io/embed/job_board(?:/js)?\?for=(?P<board>[\w-]+)", re.I),
     _group("board", True)),
    ("phenom", re.compile(r"cdn\.phenompeople\.com|\bphApp\b", re.I), _host_url),
    ("successfactors", re.compile(r"rmkcdn\.successfactors\.com|jobs2web\.com", re.I), _host_url),
    ("jsonld", re.compile(r"<script[^>]+application/ld\+json[^>]*>[^<]*[\"']@type[\"']\s*:\s*[\"']JobPosting[\"']", re.I),
     lambda m, url: {"urls": [url]}),
]


def recognise_url(url: str) -> Board | None:
    """The board a link's address belongs to, or None (never guessed)."""
    url = url.strip()
    for platform, pattern, build in URL_PATTERNS:
        m = pattern.match(url)
        if m:
            options = build(m, url)
            if options:
                return Board(platform, options, "url")
    return None


def recognise_page(url: str, html: str) -> Board | None:
    """The board a fetched page belongs to, by markers in its HTML, or None."""
    for platform, pattern, build in PAGE_MARKERS:
        m = pattern.search(html)
        if m:
            options = build(m, url)
            if options:
                return Board(platform, options, "page")
    return None


def host_of(url: str) -> str:
    return (urlsplit(url.strip()).hostname or url.strip()).lower()


def board_key(platform: str, options: dict[str, Any]) -> str:
    """One string per board, case-blind: the same board seen twice has the same key."""
    if platform == "workday":
        parts = urlsplit(str(options.get("url", "")))
        segments = [s for s in parts.path.split("/") if s and not re.fullmatch(r"[a-z]{2}-[A-Z]{2}", s)]
        return f"workday:{(parts.hostname or '').lower()}/{(segments[0] if segments else '').lower()}"
    if platform == "oracle":
        host = str(options.get("host", "")).lower().removeprefix("https://").removeprefix("http://").rstrip("/")
        return f"oracle:{host}/{str(options.get('site', 'CX_1')).lower()}"
    if platform == "jsonld":
        urls = options.get("urls") or []
        return f"jsonld:{str(urls[0]).lower().rstrip('/') if urls else ''}"
    for key in ("board", "site", "company", "org", "agency", "url"):
        if key in options:
            return f"{platform}:{str(options[key]).lower().rstrip('/')}"
    return f"{platform}:?"


def suggested_name(platform: str, options: dict[str, Any]) -> str:
    """A sources name for a new entry: the platform and the tenant or board name."""
    if platform == "workday":
        part = (urlsplit(options["url"]).hostname or "").split(".")[0]
    elif platform == "oracle":
        part = options["host"].split(".")[0] + "-" + options["site"]
    elif platform in ("icims", "healthcaresource", "taleo"):
        parts = urlsplit(options["url"])
        part = (parts.hostname or "").split(".")[0]
        section = [s for s in parts.path.split("/") if s][1:2]
        part = "-".join([part, *section])
    elif platform == "ukg":
        part = ([s for s in urlsplit(options["url"]).path.split("/") if s] or ["board"])[0]
    elif platform == "successfactors":
        parts = urlsplit(options["url"])
        part = parse_qs(parts.query).get("company", [parts.hostname or ""])[0]
    elif platform == "phenom":
        part = urlsplit(options["url"]).hostname or ""
    elif platform == "jsonld":
        part = host_of(options["urls"][0])
    else:
        part = next(str(options[k]) for k in ("board", "site", "company", "org", "agency") if k in options)
    part = re.sub(r"[^A-Za-z0-9_.-]+", "-", part).strip("-.").lower() or "board"
    return f"{platform}:{part}"


def entry_toml(board: Board, name: str, evidence: str) -> str:
    """A disabled ``[[sources]]`` entry for the file a person reviews."""
    def value(v: Any) -> str:
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = ["[[sources]]", f"name = {value(name)}", f"platform = {value(board.platform)}", "enabled = false",
             f"evidence = {value(evidence)}"]
    lines += [f"{k} = {value(v)}" for k, v in board.options.items()]
    return "\n".join(lines) + "\n"


def links_in(lines: Iterable[str]) -> list[str]:
    """The http(s) links of a file of links (one or more a line; other text ignored)."""
    found = []
    for line in lines:
        found += re.findall(r"https?://[^\s\"'<>]+", line)
    return found


DISCOVERED_FILE = "discovered.toml"


def proposed_entries(path: Path) -> list[dict[str, Any]]:
    """The entries of the review file (none when it does not exist); ConfigError if it is not TOML."""
    from pacsjobs.config import read_toml

    entries = read_toml(path, required=False).get("sources", [])
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def count_proposed(config: Any) -> int:
    """How many boards the review file beside the config proposes that the registry lacks."""
    registry = {board_key(s.platform, s.options) for s in config.sources}
    entries = proposed_entries(config.own_dir / DISCOVERED_FILE)
    return len({board_key(e["platform"], e) for e in entries if "platform" in e} - registry)
