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
