"""Fuzzing the sources' parsers: any JSON, and objects with a source's own keys."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from pacsjobs.errors import ParseError

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
_ANY_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                         | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)


def any_json() -> st.SearchStrategy[Any]:
    """A hypothesis strategy for any small JSON value."""
    return _ANY_JSON


def json_object(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with any subset of ``keys``, each holding any JSON value (a record of a source)."""
    return st.fixed_dictionaries({}, optional={k: _ANY_JSON for k in keys})


def assert_parses_or_raises_parse_error(parse: Any, payload: Any) -> None:
    """A parser given any JSON returns postings with ids, or raises ParseError; nothing else."""
    try:
        raws = parse(json.dumps(payload))
    except ParseError:
        return
    assert all(isinstance(r.source_id, str) and r.source_id for r in raws)


# -- mutations of real payloads (tests/faults/test_fuzz_parsers.py) --------------------------------
ENCODINGS = ("latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32")
INSERTS = (b"[" * 3000, b"{" * 3000, b'"', b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"}" * 50, b"]]",
           b"\\u0000", b"\\ud800", b"\\", b"</script>", b'<script type="application/ld+json">{"@type":',
           "\u202e\u0000\ufeff".encode(), b"\xc3", b"\xed\xa0\x80", b"NaN", b"-Infinity", b"1e999",
           b"<![CDATA[", b"<!--", b"&#x0;", b"&quot;")
# What a field of another type can hold: the shapes a careless or hostile source sends.
SWAPS = (None, True, False, 0, -1, 2**63, -(2**70), 1e308, float("inf"), float("-inf"), "", " ", "0",
         "null", "[]", "{}", "\u0000", "\ud800", [], {}, [None], [[[]]], {"": None}, {"@type": "JobPosting"},
         ["x"] * 50, "<script>alert(1)</script>", "2026-13-45", "-5", "1e999", "NaN")


def _json_paths(value: Any, prefix: tuple = (), out: list | None = None, limit: int = 400) -> list[tuple]:
    """Paths (keys and indexes) to the nodes of a decoded JSON value, the first ``limit`` of them."""
    out = [] if out is None else out
    if len(out) >= limit:
        return out
    out.append(prefix)
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        _json_paths(child, (*prefix, key), out, limit)
    return out


def _replace(value: Any, path: tuple, new: Any, drop: bool = False) -> Any:
    """``value`` with the node at ``path`` replaced by ``new`` (or removed when ``drop``)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    if drop and not rest:
        del copy[head]
    else:
        copy[head] = _replace(copy[head], rest, new, drop)
    return copy


_NEST = "\u0000pacsjobs-nest\u0000"


def _dumps(value: Any, depth: int = 0) -> bytes:
    """JSON text; the ``_NEST`` marker becomes ``depth`` nested arrays (json.dumps would recurse)."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    marker = json.dumps(_NEST)
    return text.replace(marker, "[" * depth + "1" + "]" * depth).encode("utf-8", "surrogatepass")


class Mutated(bytes):
    """A mutated payload whose repr says what was done (Hypothesis prints it; the bytes can be MBs)."""

    what: str = ""

    def __repr__(self) -> str:
        return f"<{len(self):,} bytes: {self.what}>"


def _mutated(what: str, data: bytes) -> Mutated:
    out = Mutated(data)
    out.what = what if len(what) < 200 else what[:200] + "..."
    return out


@st.composite
def mutated_payload(draw: Any, raw: bytes) -> Mutated:
    """A real payload with one hostile mutation, as bytes that say what was done.

    Byte flips, truncation, hostile insertions, huge strings, deep nesting, type swaps, dropped
    fields and re-encodings (latin-1, UTF-16/32, a BOM); the structural ones on JSON payloads.
    """
    try:
        doc: Any = json.loads(raw)
    except ValueError:
        doc = _MISSING
    kinds = ["flip", "truncate", "insert", "huge_bytes", "encode"]
    if doc is not _MISSING:
        kinds += ["swap", "swap", "huge", "nest", "drop", "several"]
    kind = draw(st.sampled_from(kinds))
    size = len(raw)
    if kind == "flip":
        data = bytearray(raw)
        for _ in range(draw(st.integers(1, 8))):
            if data:
                data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return _mutated(kind, bytes(data))
    if kind == "truncate":
        at = draw(st.integers(0, max(0, size - 1)))
        return _mutated(f"truncate at {at}", raw[:at])
    if kind == "insert":
        at, blob = draw(st.integers(0, size)), draw(st.sampled_from(INSERTS))
        return _mutated(f"insert {blob[:40]!r} at {at}", raw[:at] + blob + raw[at:])
    if kind == "huge_bytes":
        # A megabyte-long string; markup 100,000 times (a million tags is lxml's second alone).
        at = draw(st.integers(0, size))
        unit, times = draw(st.sampled_from([(b"A", 10**6), (b"\xe2\x82\xac", 10**6), (b" ", 10**6),
                                            (b"<p>", 10**5), (b"<b>x</b>", 10**5)]))
        return _mutated(f"insert {unit!r} x {times:,} at {at}", raw[:at] + unit * times + raw[at:])
    if kind == "encode":
        encoding = draw(st.sampled_from(ENCODINGS))
        return _mutated(f"encode {encoding}", raw.decode("utf-8", "replace").encode(encoding, "replace"))
    paths = _json_paths(doc)
    path = draw(st.sampled_from(paths))
    if kind == "swap":
        new = draw(st.sampled_from(SWAPS) | any_json())
        return _mutated(f"swap {path} for {new!r}", _dumps(_replace(doc, path, new)))
    if kind == "huge":
        filler, times = draw(st.sampled_from(["A", "<b>", "PACS ", "$", "\u00e9", "&amp;"])), \
            draw(st.integers(100_000, 1_000_000))
        return _mutated(f"{path} = {filler!r} x {times:,}", _dumps(_replace(doc, path, filler * times)))
    if kind == "nest":
        depth = draw(st.sampled_from([50, 500, 990, 1200, 5000]))
        return _mutated(f"{path} nested {depth} deep", _dumps(_replace(doc, path, _NEST), depth))
    if kind == "drop":
        return _mutated(f"drop {path}", _dumps(_replace(doc, path, None, drop=True) if path else None))
    done = []
    for _ in range(draw(st.integers(2, 6))):  # several swaps at once
        path, new = draw(st.sampled_from(paths)), draw(st.sampled_from(SWAPS))
        doc = _replace(doc, path, new)
        done.append(f"{path}={new!r}")
        paths = _json_paths(doc)
    return _mutated("swaps " + ", ".join(done), _dumps(doc))


_MISSING = object()
