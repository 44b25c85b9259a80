"""The skills vocabulary (``skills.toml``: packaged in ``pacsjobs/defaults/``, a user's own added by name): find skills, systems and certifications in text.

Matching scans word tokens once and tries only the aliases that start with that token, so a
posting costs one pass however large the vocabulary is. Case rules, context words and exclusions
are per term; the file format is documented at the top of ``skills.toml``: packaged in ``pacsjobs/defaults/``, a user's own added by name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pacsjobs.config import read_toml
from pacsjobs.errors import ConfigError
from pacsjobs.normalize.jobtype import has_ignorecase_specials
from pacsjobs.paths import config_file, default_file, find_places

try:  # the regex parser, to read which words a pattern cannot match without
    from re import _parser as _sre
except ImportError:  # pragma: no cover - moved in some future Python: no pre-checks then
    _sre = None

KINDS = ("skill", "system", "certification")
AREAS = ("technical", "non-technical")  # the quality bench reports skills F1 for each
DEFAULT_WINDOW = 80
_TOKEN = re.compile(r"[A-Za-z0-9]+|\(")
_FIRST = re.compile(r"[A-Za-z0-9]+|\(")
_TOKEN_LOW = re.compile(r"[a-z0-9]+|\(")
# ASCII text to _TOKEN_LOW's tokens by str.split: every other character becomes a space ("(" is checked apart)
_SEPARATORS = str.maketrans({chr(i): chr(i) if chr(i) in "abcdefghijklmnopqrstuvwxyz0123456789" else " "
                             for i in range(128)})
_AFTER = r"(?![A-Za-z0-9])"


def required_literals(pattern: str, lookaround: bool = True) -> tuple[str, ...] | None:
    """Lower-case ASCII strings one of which is in the text wherever ``pattern`` matches; None if unknown.

    With none of them in ``text.lower()`` (and no IGNORECASE_SPECIALS in ``text``) the pattern cannot
    match, so its scan can be skipped. ``lookaround=False`` ignores lookarounds, whose text may lie
    outside a ``pos``/``endpos`` window.
    """
    try:
        found = _literals(_sre.parse(pattern), lookaround)
    except Exception:  # noqa: BLE001 - an unreadable pattern just gets no pre-check
        return None
    return tuple(sorted(found)) if found else None


def _literals(seq: Any, lookaround: bool) -> frozenset[str] | None:
    """Best set of required strings of a parsed sequence (the one whose shortest string is longest)."""
    c = _sre  # opcode constants
    best: frozenset[str] | None = None

    def consider(cands: frozenset[str] | None) -> None:
        nonlocal best
        if cands and (best is None or min(map(len, cands)) > min(map(len, best))):
            best = cands

    run: list[str] = []  # consecutive ASCII literals: one string of the match
    for op, av in seq:
        if op is c.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        if run:
            consider(frozenset(["".join(run)]))
            run = []
        if op is c.SUBPATTERN:
            consider(_literals(av[-1], lookaround))
        elif op is c.ATOMIC_GROUP:
            consider(_literals(av, lookaround))
        elif op is c.BRANCH:
            alts = [_literals(alt, lookaround) for alt in av[1]]
            if all(alts):
                consider(frozenset().union(*alts))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            consider(_literals(av[2], lookaround))
        elif op is c.ASSERT and lookaround:
            consider(_literals(av[1], lookaround))
    if run:
        consider(frozenset(["".join(run)]))
    return best


def may_match(keys: tuple[str, ...] | None, low: str | None) -> bool:
    """False only when a pattern with these required_literals surely has no match (``low`` None: unknown)."""
    return keys is None or low is None or any(k in low for k in keys)


@dataclass
class Term:
    """One vocabulary entry: its canonical name, kind and the ways postings write it."""

    name: str
    kind: str
    area: str = "technical"  # technical | non-technical (vendor relations, training, supervision)
    aliases: list[str] = field(default_factory=list)
    exact: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    window: int = DEFAULT_WINDOW
    exclude: list[str] = field(default_factory=list)
    implies: list[str] = field(default_factory=list)


@dataclass
class Hit:
    """One place a term was found: ``text[start:end] == matched``."""

    term: Term
    start: int
    end: int
    matched: str


@dataclass
class _Alias:
    term: Term
    pattern: str
    weak: bool
    length: int
    _regex: re.Pattern[str] | None = None
    unchecked: bool = False  # neither weak nor excludable: every match is a hit

    @property
    def regex(self) -> re.Pattern[str]:
        """Compiled on first use: most aliases never occur in a given crawl."""
        if self._regex is None:
            self._regex = re.compile(self.pattern, re.IGNORECASE)
        return self._regex


def _alias_regex(alias: str, case_sensitive: bool) -> str:
    """Regex of one alias: spaces match any whitespace/hyphen run, hyphens are optional."""
    parts = []
    for ch in alias:
        if ch == " ":
            parts.append(r"[\s\-]+")
        elif ch == "-":
            parts.append(r"[\s\-]?")
        else:
            parts.append(re.escape(ch))
    body = "".join(parts)
    if not case_sensitive and alias[-1].isalpha():
        body += "(?:s|es)?"  # plurals: "interfaces", "HL7 interfaces", "modalities" listed apart
    body += _AFTER
    return body if not case_sensitive else f"(?-i:{body})"


class Vocabulary:
    """A compiled vocabulary; ``find`` returns hits in text order, never raises."""

    def __init__(self, terms: list[Term]):
        self.terms = terms
        self._by_name = {t.name.lower(): t for t in terms}
        self._alias_names: dict[str, str] = {}
        self._index: dict[str, list[_Alias]] = {}
        self._context: dict[str, re.Pattern[str]] = {}
        self._exclude: dict[str, list[re.Pattern[str]]] = {}
        # each exclusion with its required_literals: most texts lack them and need no scan
        self._exclude_keys: dict[str, list[tuple[re.Pattern[str], tuple[str, ...] | None]]] = {}
        self._key_rx: dict[str, re.Pattern[str]] = {}
        self._recent: dict[str, tuple[Hit, ...]] = {}
        for term in terms:
            for alias in term.aliases + term.exact + term.weak:
                self._alias_names.setdefault(alias.lower(), term.name)
            groups = ((term.aliases, False, False), (term.exact, True, False), (term.weak, True, True))
            for aliases, cs, weak in groups:
                for alias in aliases:
                    key = _FIRST.match(alias).group(0).lower()  # checked by the loader
                    self._index.setdefault(key, []).append(
                        _Alias(term, _alias_regex(alias, cs), weak, len(alias), unchecked=not weak and not term.exclude))
            if term.context:
                words = sorted(term.context, key=len, reverse=True)
                alt = "|".join(_alias_regex(w, False) for w in words)
                self._context[term.name] = re.compile(rf"(?<![A-Za-z0-9])(?:{alt})", re.IGNORECASE)
            self._exclude[term.name] = [re.compile(p) for p in term.exclude]
            self._exclude_keys[term.name] = [(rx, required_literals(rx.pattern)) for rx in self._exclude[term.name]]
        self._combined: dict[str, re.Pattern[str]] = {}  # compiled on first use of each key
        for cands in self._index.values():
            cands.sort(key=lambda a: a.length, reverse=True)  # longest alias first
        # token -> the key it starts, plurals included ("gadgets" -> "gadget"): one dict for a set join
        self._lookup: dict[str, str] = {}
        for key in self._index:
            if key.isalnum():
                self._lookup.setdefault(key + "es", key)
                self._lookup.setdefault(key + "s", key)
        self._lookup.update({key: key for key in self._index})
        # a hit's term and the terms it implies, resolved once for skills() and certifications()
        self._named: dict[str, tuple[Term, ...]] = {}
        for term in terms:
            found = (self._by_name.get(name.lower()) for name in (term.name, *term.implies))
            self._named[term.name] = tuple(t for t in found if t)

    def term(self, name: str) -> Term | None:
        """The term with this canonical name (case-insensitive), or None."""
        return self._by_name.get(name.lower()) if isinstance(name, str) else None

    def canonical(self, name: str) -> str | None:
        """Canonical name for a canonical name or alias (case-insensitive), or None."""
        if not isinstance(name, str):
            return None
        term = self._by_name.get(name.lower().strip())
        return term.name if term else self._alias_names.get(name.lower().strip())

    def _excluded(self, term: Term, text: str, start: int, end: int,
                  cache: dict[str, list[tuple[int, int]]], low: str | None) -> bool:
        """Whether text[start:end] lies inside a match of one of the term's exclusions."""
        spans = cache.get(term.name)
        if spans is None:  # one scan of the text per term, only for terms that were hit
            spans = cache[term.name] = [
                m.span() for rx, keys in self._exclude_keys[term.name] if may_match(keys, low) for m in rx.finditer(text)]
        return any(s <= start and e >= end for s, e in spans)

    def _accept(self, alias: _Alias, text: str, start: int, end: int,
                cache: dict[str, list[tuple[int, int]]], low: str | None) -> bool:
        term = alias.term
        if self._exclude[term.name] and self._excluded(term, text, start, end, cache, low):
            return False
        if alias.weak:
            ctx = self._context.get(term.name)
            if ctx is None:
                return False
            lo, hi = max(0, start - term.window), min(len(text), end + term.window)
            # the phrase itself is no context
            return any(m.end() <= start or m.start() >= end for m in ctx.finditer(text, lo, hi))
        return True

    def _singular(self, tok: str) -> str | None:
        """The indexed key a plural token starts ("gadgets" -> "gadget"), or None."""
        if tok.endswith("es") and tok[:-2] in self._index:
            return tok[:-2]
        if tok.endswith("s") and tok[:-1] in self._index:
            return tok[:-1]
        return None

    def _positions(self, text: str, low: str) -> list[tuple[int, str]]:
        """Start offsets of tokens that begin some alias, with their key, in text order (``low``: text.lower())."""
        if len(low) != len(text):  # a few Unicode letters change length when lowered
            out = []
            for m in _TOKEN.finditer(text):
                tok = m.group(0).lower()
                key = tok if tok in self._index else self._singular(tok)
                if key is not None:
                    out.append((m.start(), key))
            return out
        # set intersection and one C-level scan per present key beat a Python loop over tokens
        lookup = self._lookup
        out: list[tuple[int, str]] = []
        if low.isascii():  # the same token set as findall, without a string object per token
            tokens = set(low.translate(_SEPARATORS).split())
            if "(" in low:
                tokens.add("(")
        else:
            tokens = set(_TOKEN_LOW.findall(low))
        for tok in lookup.keys() & tokens:
            key = lookup[tok]
            rx = self._key_rx.get(tok)
            if rx is None:
                # a literal first lets re use its fast substring search; the left edge is checked
                # after it (a token is [a-z0-9]+, so its occurrences that end a word never overlap)
                rx = self._key_rx[tok] = re.compile(
                    r"\(" if tok == "(" else rf"{re.escape(tok)}(?![a-z0-9])(?<![a-z0-9]{re.escape(tok)})")
            out.extend([(m.start(), key) for m in rx.finditer(low)])
        out.sort()
        return out

    def find(self, text: str) -> list[Hit]:
        """Every hit in ``text``, leftmost-longest, without overlaps."""
        if not isinstance(text, str) or not text:
            return []
        cached = self._recent.get(text)
        if cached is not None:
            return list(cached)
        hits: list[Hit] = []
        last_end = 0
        excl: dict[str, list[tuple[int, int]]] = {}
        low = text.lower()
        # what exclusions' pre-checks look in; None where re.IGNORECASE could match beyond it
        check = None if has_ignorecase_specials(text) else low
        for pos, key in self._positions(text, low):
            if pos < last_end:
                continue
            combined = self._combined.get(key)
            if combined is None:
                # one match call finds the longest alias that fits; the others only if it is refused
                alt = "|".join(f"(?P<a{i}>{a.pattern})" for i, a in enumerate(self._index[key]))
                combined = self._combined[key] = re.compile(alt, re.IGNORECASE)
            m = combined.match(text, pos)
            if m is None:
                continue
            cands = self._index[key]
            first = int(m.lastgroup[1:])
            for alias in cands[first:]:
                # the combined match is the first alias's own match (its group spans the whole match)
                if alias is not cands[first]:
                    m = alias.regex.match(text, pos)
                if m and (alias.unchecked or self._accept(alias, text, pos, m.end(), excl, check)):
                    hits.append(Hit(alias.term, pos, m.end(), m.group(0)))
                    last_end = m.end()
                    break
        # the classifier and the requirement extractor look at the same text one after the other
        if len(self._recent) >= 8:
            self._recent.clear()
        self._recent[text] = tuple(hits)
        return hits

    def _names(self, text: str, kinds: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        for hit in self.find(text):
            for term in self._named[hit.term.name]:
                if term.kind in kinds and term.name not in seen:
                    seen.add(term.name)
                    out.append(term.name)
        return out

    def skills(self, text: str) -> list[str]:
        """Canonical skill and system names in order of first appearance, each once."""
        return self._names(text, ("skill", "system"))

    def certifications(self, text: str) -> list[str]:
        """Canonical certification names in order of first appearance, each once."""
        return self._names(text, ("certification",))


def _str_list(table: dict[str, Any], key: str, file: Path, where: str) -> list[str]:
    value = table.pop(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(str(file), f"{where}{key}", "must be a list of non-empty strings")
    return [v.strip() for v in value]


def parse_terms(data: dict[str, Any], file: Path) -> list[Term]:
    """Validate the parsed TOML of a vocabulary file into terms (ConfigError on any problem)."""
    data = dict(data)
    entries = data.pop("terms", None)
    for key in data:
        raise ConfigError(str(file), key, "unknown key (the vocabulary is a list of [[terms]])")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(str(file), "terms", "must be a non-empty array of [[terms]] tables")
    terms: list[Term] = []
    names: set[str] = set()
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ConfigError(str(file), f"terms[{i}]", "must be a table")
        entry = dict(entry)
        name = entry.pop("name", None)
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(str(file), f"terms[{i}].name", "is required (a non-empty string)")
        name = name.strip()
        where = f"terms[{name}]."
        if name.lower() in names:
            raise ConfigError(str(file), f"{where}name", "is used by more than one term")
        names.add(name.lower())
        kind = entry.pop("kind", None)
        if kind not in KINDS:
            raise ConfigError(str(file), f"{where}kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
        area = entry.pop("area", "technical")
        if area not in AREAS:
            raise ConfigError(str(file), f"{where}area", f"must be one of {', '.join(AREAS)}, got {area!r}")
        term = Term(name=name, kind=kind, area=area)
        term.aliases = _str_list(entry, "aliases", file, where)
        term.exact = _str_list(entry, "exact", file, where)
        term.weak = _str_list(entry, "weak", file, where)
        term.context = _str_list(entry, "context", file, where)
        term.exclude = _str_list(entry, "exclude", file, where)
        term.implies = _str_list(entry, "implies", file, where)
        window = entry.pop("window", DEFAULT_WINDOW)
        if not isinstance(window, int) or isinstance(window, bool) or not 0 < window <= 1000:
            raise ConfigError(str(file), f"{where}window", f"must be a whole number 1..1000, got {window!r}")
        term.window = window
        for key in entry:
            raise ConfigError(str(file), f"{where}{key}", "unknown key")
        if not (term.aliases or term.exact or term.weak):
            raise ConfigError(str(file), f"{where}aliases", "a term needs at least one alias, exact or weak phrase")
        if term.weak and not term.context:
            raise ConfigError(str(file), f"{where}context", "weak phrases need context words")
        for alias in term.aliases + term.exact + term.weak:
            if not _FIRST.match(alias):
                raise ConfigError(str(file), f"{where}aliases", f"{alias!r} must start with a letter, digit or '('")
        for pattern in term.exclude:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(str(file), f"{where}exclude", f"{pattern!r} is not a valid regex: {exc}") from None
        terms.append(term)
    known = {t.name for t in terms}
    for term in terms:
        for other in term.implies:
            if other not in known:
                raise ConfigError(str(file), f"terms[{term.name}].implies", f"unknown term {other!r}")
    return terms


_CACHE: dict[str, Vocabulary] = {}


def vocabulary_path(config_dir: Path | str | None = None) -> Path:
    """The user's skills.toml in ``config_dir`` (else the chosen config folder), else the packaged one."""
    folder = Path(config_dir) if config_dir else find_places().config_dir
    return config_file(folder, "skills.toml")


def load_vocabulary(config_dir: Path | str | None = None) -> Vocabulary:
    """Read and compile the packaged skills.toml overlaid by the user's (cached by content).

    A user's term replaces the packaged term of the same name; new names are added.
    """
    path = vocabulary_path(config_dir)
    files = list(dict.fromkeys((default_file("skills.toml"), path)))  # the user's, when it is not the packaged one
    try:
        key = hashlib.sha256(b"\0".join(p.read_bytes() for p in files)).hexdigest()
    except OSError:
        raise ConfigError(str(path), None, "file not found") from None
    vocab = _CACHE.get(key)
    if vocab is None:
        terms: dict[str, Term] = {}
        for file in files:
            terms.update((t.name, t) for t in parse_terms(read_toml(file), file))
        vocab = Vocabulary(list(terms.values()))
        if len(_CACHE) >= 8:  # a few vocabularies at a time (tests); drop old compilations
            _CACHE.clear()
        _CACHE[key] = vocab
    return vocab
