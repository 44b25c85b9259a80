"""How the query commands show a posting: pay, place, profile scores, marks."""

from __future__ import annotations

from typing import Any

from pacsjobs.errors import PacsjobsError
from pacsjobs.pay import money as pay_money
from pacsjobs.record import Posting


def _load_profile(app, name: str):
    """The named profile, via the profile module (PacsjobsError when it is unknown)."""
    try:
        from pacsjobs.profile import load_profile
    except ImportError as exc:
        raise PacsjobsError(f"profiles are not available in this installation ({exc})") from None
    return load_profile(app.config.dir, name)


def _scorer():
    try:
        from pacsjobs.understand.match import score_posting
    except ImportError as exc:
        raise PacsjobsError(f"match scoring is not available in this installation ({exc})") from None
    return score_posting


def money(value: float | None) -> str:
    """Whole dollars (annual figures)."""
    return pay_money(value, cents=False)


def pay_text(p: Posting) -> str:
    """The annual pay range in a few characters: "$85,000–$100,000", "$80,000+", "≤ $95,000"."""
    lo, hi = p.salary_annual_min, p.salary_annual_max
    if lo is not None and hi is not None:
        return money(lo) if lo == hi else f"{money(lo)}–{money(hi)}"
    if lo is not None:
        return f"{money(lo)}+"
    if hi is not None:
        return f"≤ {money(hi)}"
    return ""


def location_text(p: Posting) -> str:
    place = ", ".join(x for x in (p.city, p.state) if x) or (p.location_text or "")
    if p.workplace == "remote":
        return f"{place} (remote)" if place else "remote"
    return place



def _component_rows(components: Any) -> list[tuple[str, Any, Any, str]]:
    """(name, score, weight, reason) of a Match's components, whatever container holds them."""
    items = components.items() if isinstance(components, dict) else ((None, c) for c in components or ())
    rows = []
    for key, comp in items:
        if isinstance(comp, dict):
            get = comp.get
        else:
            def get(attr: str, comp: Any = comp) -> Any:
                return getattr(comp, attr, None)
        name = key or get("name") or "?"
        reason = get("reason") or "; ".join(get("reasons") or [])
        rows.append((str(name), get("score"), get("weight"), str(reason or "")))
    return rows


def _num(value: Any, digits: int = 2) -> str:
    return f"{value:.{digits}f}" if isinstance(value, int | float) else ("" if value is None else str(value))



def _mark_text(mark: Any) -> str:
    return mark.describe() if mark is not None else ""
