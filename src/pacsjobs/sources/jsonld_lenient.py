"""Reading JSON-LD as broken as real career pages publish it.

The script elements of a page (also inside HTML comments), wrappers around the JSON (``<!--``,
CDATA), raw newlines and tabs in strings, trailing commas, several values in one block,
HTML-escaped blocks, and double quotes left unescaped inside strings
(``"description": "the "Sectra" PACS"``): each is undone so the posting is recovered rather
than the page skipped. Used by ``jsonld``; pure functions.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

_SCRIPT_TAG_RE = re.compile(rb"<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>", re.IGNORECASE)
_SCRIPT_END_RE = re.compile(rb"</script\s*>")  # matched on lowered bytes
# Wrappers some CMSs put around the JSON inside the script element.
# The closing wrapper has no leading \s*: tried at every position of a long run of spaces, it made
# re.sub quadratic (a page with a megabyte of blanks took hours); the caller strips the blanks.
_WRAPPERS_RE = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|/\*\s*<!\[CDATA\[\s*\*/|<!\[CDATA\[)\s*|"
                          r"(?:-->|//\s*\]\]>|/\*\s*\]\]>\s*\*/|\]\]>)\s*$")


# -- decoding ---------------------------------------------------------------------------------
def _ld_json_blocks(data: bytes) -> list[bytes]:
    r"""The contents of every ``<script type="application/ld+json">`` element: what
    ``re.finditer(_SCRIPT_TAG_RE.pattern + rb"(.*?)</script\s*>", data, re.I | re.S)`` finds (the
    tests hold the two equal), several times faster. re cannot search for the literal of a
    case-insensitive pattern, and its lazy ``(.*?)`` steps through the block a character at a
    time; here both literals are found in a lowered copy by ``bytes.find``."""
    low = data.lower()  # ASCII only, as re.IGNORECASE on bytes
    blocks: list[bytes] = []
    pos = 0
    while (at := low.find(b"application/ld+json", pos)) >= 0:
        start = low.rfind(b"<script", pos, at)
        tag = _SCRIPT_TAG_RE.match(data, start) if start >= 0 else None
        if tag is None or tag.end() <= at:  # not in a script tag's attributes
            pos = at + 1
            continue
        end = low.find(b"</script", tag.end())
        while end >= 0 and not _SCRIPT_END_RE.match(low, end):
            end = low.find(b"</script", end + 1)
        if end < 0:  # no end tag after it: nor after any later one
            break
        blocks.append(data[tag.end():end])
        pos = _SCRIPT_END_RE.match(low, end).end()
    return blocks


# The entities escaped descriptions are made of; other ones go through html.unescape.
_COMMON_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#34;", '"'), ("&#39;", "'"),
                    ("&nbsp;", "\xa0"), ("&amp;", "&"))  # &amp; last: "&amp;lt;" is "&lt;"


def unescape(text: str) -> str:
    """``html.unescape``, with a fast path for text whose every ``&`` starts a common entity
    (an escaped description has dozens, and html.unescape calls Python code for each)."""
    ampersands = text.count("&")
    if not ampersands:
        return text
    if sum(text.count(entity) for entity, _ in _COMMON_ENTITIES) != ampersands:
        return html.unescape(text)
    for entity, char in _COMMON_ENTITIES:
        text = text.replace(entity, char)
    return text


def _to_bytes(payload: bytes | str) -> bytes:
    data = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def _decode(data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    return text.lstrip("\ufeff")


# A string as "unrolled loop" ([^"\\]* runs, then one escape at a time): the same strings as
# "(?:[^"\\]|\\.)*", several times faster on a page with a megabyte-long string.
_STRING_OR_TRAILING_COMMA_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|,(\s*[}\]])', re.DOTALL)


def _strip_trailing_commas(text: str) -> str:
    """Drop commas that directly precede ``}`` or ``]`` outside strings (a common CMS slip)."""
    return _STRING_OR_TRAILING_COMMA_RE.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(0),
                                            text)


# What may follow a closing quote, by the string's place: a key, a value in an object, in an array.
_CLOSES = {
    "key": re.compile(r"\s*:"),
    "object": re.compile(r'\s*(?:}|,\s*["}]|$)'),
    "array": re.compile(r'\s*(?:]|,\s*(?:["{\[\]\-0-9]|true\b|false\b|null\b)|$)'),
    "top": re.compile(r"\s*$"),
}


def _repair_quotes(text: str) -> str:
    """Escape double quotes that a CMS left raw inside strings (``"the "Sectra" PACS"``).

    Inside a string a quote ends it only when what follows fits the string's place: ``:`` after a
    key; ``}`` or a comma and the next key after an object's value; ``]`` or a comma and a value in
    an array. Any other quote is text and gets its backslash.
    """
    out: list[str] = []
    stack: list[list[str]] = []  # [kind, expecting] per open container: ["object", "key"], ["array", ""]
    place = ""
    in_string = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if in_string:
            if ch == "\\":
                out.append(text[i:i + 2])
                i += 2
                continue
            if ch == '"':
                if _CLOSES[place].match(text, i + 1):
                    in_string = False
                    out.append(ch)
                else:
                    out.append('\\"')
            else:
                out.append(ch)
            i += 1
            continue
        if ch == '"':
            in_string = True
            if not stack:
                place = "top"
            elif stack[-1][0] == "object":
                place = "key" if stack[-1][1] == "key" else "object"
            else:
                place = "array"
        elif ch == "{":
            stack.append(["object", "key"])
        elif ch == "[":
            stack.append(["array", ""])
        elif ch in "}]" and stack:
            stack.pop()
        elif ch == ":" and stack and stack[-1][0] == "object":
            stack[-1][1] = "value"
        elif ch == "," and stack and stack[-1][0] == "object":
            stack[-1][1] = "key"
        out.append(ch)
        i += 1
    return "".join(out)


def _load_lenient(text: str) -> list[Any] | None:
    """Read one JSON-LD block leniently; None when it cannot be read at all."""
    text = text.strip().lstrip("\ufeff")
    if text[:1] not in "{[":
        previous = None
        while previous != text:  # wrappers can be nested (<!-- //<![CDATA[ ... ]]> -->)
            previous, text = text, _WRAPPERS_RE.sub("", text).strip()
    elif text[-1:] not in "}]":
        text = _WRAPPERS_RE.sub("", text)
    text = text.strip().rstrip(";")
    if not text:
        return []
    # strict=False lets raw newlines and tabs inside strings through, as browsers' readers do.
    decoder = json.JSONDecoder(strict=False)
    for fix in (None, _strip_trailing_commas, lambda t: _strip_trailing_commas(_repair_quotes(t))):
        candidate = fix(text) if fix else text
        try:
            return [decoder.decode(candidate)]
        except (ValueError, RecursionError):  # nested too deeply: as unreadable as broken JSON
            pass
        values = _decode_concatenated(decoder, candidate)
        if values:
            return values
    # Some sites HTML-escape the whole block (&quot;).
    if "&quot;" in text or "&#34;" in text:
        return _load_lenient(unescape(text))
    return None


def _decode_concatenated(decoder: json.JSONDecoder, text: str) -> list[Any] | None:
    """Several JSON values one after another in one block (``{...}{...}``)."""
    values, pos, n = [], 0, len(text)
    while pos < n:
        while pos < n and text[pos] in " \t\r\n,;":
            pos += 1
        if pos >= n:
            break
        try:
            value, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):  # nested too deeply: as unreadable as broken JSON
            return None
        values.append(value)
    return values if len(values) > 1 else None
