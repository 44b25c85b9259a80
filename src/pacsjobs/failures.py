"""Why requests failed, in words a person can act on: the crawl summary groups sources by cause.

The spider records one ``pacsjobs/cause/<key>`` stat per failed request; the summary names the
most common cause of each source's run (``35 boards: DNS lookup failed — is this machine online?``).
"""

from __future__ import annotations

CAUSE_STAT = "pacsjobs/cause/"

CAUSES: dict[str, str] = {
    "dns": "DNS lookup failed — is this machine online?",
    "refused": "connection refused — is the site down, or the address wrong?",
    "timeout": "timed out — the site is slow or unreachable",
    "tls": "TLS/SSL handshake failed",
    "http_404": "HTTP 404 — the board moved or no longer exists",
    "http_4xx": "HTTP 4xx — the request was refused",
    "http_429": "HTTP 429 — too many requests (rate limited)",
    "http_5xx": "HTTP 5xx — the site had an error",
    "robots": "forbidden by robots.txt",
    "other": "request failed",
}

_BY_TYPE = {
    "DNSLookupError": "dns",
    "gaierror": "dns",  # socket's own (``pacsjobs sources --check``): its message differs by system
    "ConnectionRefusedError": "refused",
    "ConnectError": "refused",
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "UserTimeoutError": "timeout",
    "ResponseNeverReceived": "timeout",
    "SSLError": "tls",
    "IgnoreRequest": "robots",
}


def cause_of(error_type: str, message: str = "", status: int | None = None) -> str:
    """The cause key of a failed request, from its exception type name, message and HTTP status."""
    if status is not None:
        if status == 404:
            return "http_404"
        if status == 429:
            return "http_429"
        return "http_5xx" if status >= 500 else "http_4xx"
    if error_type in _BY_TYPE:
        return _BY_TYPE[error_type]
    low = message.lower()
    if "dns lookup failed" in low or "name or service not known" in low:
        return "dns"
    if "connection was refused" in low or "connection refused" in low:
        return "refused"
    if "timed out" in low or "timeout" in low:
        return "timeout"
    if "ssl" in low or "tls" in low:
        return "tls"
    return "other"


def main_cause(stats: dict[str, object] | None) -> str | None:
    """The most frequent cause recorded in a run's stats (None when no request failed)."""
    counts = {k[len(CAUSE_STAT):]: int(v) for k, v in (stats or {}).items()
              if k.startswith(CAUSE_STAT) and isinstance(v, int | float)}
    return max(counts, key=lambda k: (counts[k], k)) if counts else None


def group_by_cause(results: list[tuple[str, str | None]]) -> list[str]:
    """Lines ``N boards: <cause>`` for (source, cause) pairs, most boards first."""
    groups: dict[str, list[str]] = {}
    for source, cause in results:
        if cause:
            groups.setdefault(cause, []).append(source)
    lines = []
    for cause, sources in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        n = len(sources)
        names = ", ".join(sources[:3]) + (f" (+{n - 3} more)" if n > 3 else "")
        lines.append(f"{n} board{'s' if n != 1 else ''}: {CAUSES.get(cause, cause)} ({names})")
    return lines
