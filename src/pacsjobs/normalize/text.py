"""Description HTML: sanitize untrusted markup, turn it into plain text, clean one-line values."""

from __future__ import annotations

import html as htmllib
import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "u",
        "h1", "h2", "h3", "h4", "h5", "h6", "a", "div", "span",
        "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
# Their content is never text a reader should see; removed with the tag.
DROP_CONTENT_TAGS = frozenset(
    {
        "script",
        "style",
        "iframe",
        "noscript",
        "object",
        "embed",
        "template",
        "svg",
        "math",
        "head",
        "title",
    }
)

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROP_CONTENT_TAGS),
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
)

_REAL_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?\s*>")
_ESCAPED_TAG = re.compile(r"&(?:amp;)*lt;\s*/?\s*[a-zA-Z][a-zA-Z0-9]*", re.IGNORECASE)
_WS = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WS_ASCII = re.compile(r"[ \t\r\f\v]+")  # _WS for ASCII text
_WS_UNUSUAL = re.compile(r"[\t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]")  # _WS less the space


def _fold_spaces(text: str) -> str:
    """``_WS.sub(" ", text)``: cheap tests skip the substitution, which is costly per single space."""
    if text.isascii():
        if "  " not in text and "\t" not in text and "\r" not in text and "\f" not in text and "\v" not in text:
            return text
        return _WS_ASCII.sub(" ", text)
    if "  " not in text and not _WS_UNUSUAL.search(text):
        return text
    return _WS.sub(" ", text)

_BLOCK_TAGS = frozenset(
    {
        "p", "div", "ul", "ol", "table", "thead", "tbody", "tfoot", "tr", "h1", "h2", "h3",
        "h4", "h5", "h6", "section", "article", "header", "footer", "blockquote", "pre",
        "caption", "dl", "dt", "dd", "hr", "address", "figure", "main", "nav", "aside",
    }
)  # fmt: skip


def unescape_if_escaped(value: str) -> str:
    """Undo HTML-escaping of a whole fragment ("&lt;p&gt;...") when it has no real tags."""
    text = value
    # Twice-escaped payloads ("&amp;lt;p&amp;gt;") exist; three rounds cover what is seen.
    for _ in range(3):
        if _REAL_TAG.search(text) or not _ESCAPED_TAG.search(text):
            break
        text = htmllib.unescape(text)
    return text


def sanitize_html(html: str | None) -> str:
    """Safe HTML from untrusted markup: formatting tags only, http/https/mailto links, no scripts."""
    if not html or not isinstance(html, str):
        return ""
    text = _CONTROL.sub("", unescape_if_escaped(html))
    try:
        return _CLEANER.clean(text).strip()
    except Exception:  # noqa: BLE001 - the sanitizer must never take a posting down
        return htmllib.escape(html_to_text(text))


_PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"})

_NEWLINES = re.compile(r"[\r\n]+")


def _break_line(parts: list[str], lines: int) -> None:
    """End the current line so that at least ``lines`` newlines separate what follows."""
    last = parts[-1] if parts else ""
    if last and last[-1] not in " \t\n-":
        parts.append("\n" * lines)  # the common case, decided without joining the tail
        return
    tail = "".join(parts[-4:]).rstrip(" \t")
    if tail.endswith("-"):
        return  # right after a list bullet: the item's text goes on the bullet's line
    have = len(tail) - len(tail.rstrip("\n"))
    if parts and have < lines:
        parts.append("\n" * (lines - have))


class _TextExtractor(HTMLParser):
    """Collects text; block elements end lines, list items start with "- "."""

    def __init__(self, markup: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._markup = markup  # in real HTML a newline in text is just a space

    def _break(self, lines: int) -> None:
        _break_line(self.parts, lines)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROP_CONTENT_TAGS:
            self._skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self._break(1)
            self.parts.append("- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCK_TAGS:
            self._break(2 if tag in _PARAGRAPH_TAGS else 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self._break(1)

    def handle_endtag(self, tag: str) -> None:
        if tag in DROP_CONTENT_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self._break(2 if tag in _PARAGRAPH_TAGS else 1)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if not data.strip() and self.parts and self.parts[-1] == "- ":
            return  # indentation between <li> and its content
        self.parts.append(_NEWLINES.sub(" ", data) if self._markup else data)


def _fold_lines(raw: str) -> str:
    """Fold spaces inside lines and keep at most one blank line between paragraphs."""
    # _WS never matches "\n", so one substitution over the whole text folds each line alike
    lines = [line.strip() for line in _fold_spaces(raw.replace("\r", "\n")).split("\n")]
    out: list[str] = []
    for line in lines:
        if line in ("", "-"):
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


# Well-formed markup as the sanitizer writes it: simple tags, double- or single-quoted attributes.
# Anything else (comments, doctypes, scripts, stray "<", unquoted values) goes to HTMLParser.
_SIMPLE_TOKEN = re.compile(
    r"<(?:([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'))?)*)"
    r"\s*(/?)>|/([a-zA-Z][a-zA-Z0-9]*)\s*>)"
)
# Elements whose content some HTMLParser version reads raw: left to HTMLParser.
_CDATA_TAGS = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed",
                         "noframes", "noscript", "plaintext"})


# What a simple tag does (see _TextExtractor): 1 drop content, 2 "\n", 3 list item, 4 " ",
# 5 paragraph break, 6 line break; a tag not listed does nothing.
_START_ACTION = {**{t: 6 for t in _BLOCK_TAGS}, **{t: 5 for t in _PARAGRAPH_TAGS},
                 **{t: 1 for t in DROP_CONTENT_TAGS}, "br": 2, "li": 3, "td": 4, "th": 4}
_STARTEND_ACTION = {**{t: 6 for t in _BLOCK_TAGS}, "br": 2}
_END_ACTION = {**{t: 6 for t in _BLOCK_TAGS}, **{t: 5 for t in _PARAGRAPH_TAGS}, **{t: 1 for t in DROP_CONTENT_TAGS}}


def _simple_parts(source: str, markup: bool) -> list[str] | None:
    """The text parts _TextExtractor collects from ``source``; None when markup is not simple.

    It does what HTMLParser and the extractor's handlers would do, so the text is identical; it only
    skips HTMLParser's general-purpose scanning, the costly part for sanitized descriptions.
    """
    # split gives [data, start tag, attributes, "/", end tag, data, ...] in one C call
    pieces = _SIMPLE_TOKEN.split(source)
    parts: list[str] = []
    append = parts.append
    skip = 0
    unescape = htmllib.unescape
    newlines = _NEWLINES.sub
    for i in range(0, len(pieces), 5):
        data = pieces[i]
        if data:
            if "<" in data:
                return None  # a "<" that is not a simple tag: HTMLParser's rules decide
            if "&" in data:
                data = unescape(data)
            if not skip and not (parts and parts[-1] == "- " and not data.strip()):
                # (blank data right after a bullet is indentation between <li> and its content)
                append(newlines(" ", data) if markup and ("\n" in data or "\r" in data) else data)
        if i + 1 == len(pieces):
            break
        start_tag = pieces[i + 1]
        if start_tag is not None:
            tag = start_tag.lower()
            if tag in _CDATA_TAGS:
                return None
            action = (_STARTEND_ACTION if pieces[i + 3] else _START_ACTION).get(tag)
        else:
            tag = pieces[i + 4].lower()
            action = _END_ACTION.get(tag)
            if action == 1:
                skip = max(0, skip - 1)
                continue
        if action is None:
            continue
        if action == 1:
            skip += 1
        elif action == 2:
            append("\n")
        elif action == 3:
            _break_line(parts, 1)
            append("- ")
        elif action == 4:
            append(" ")
        elif parts and parts[-1] and parts[-1][-1] not in " \t\n-":
            append("\n\n" if action == 5 else "\n")  # _break_line's common case, without the call
        else:
            _break_line(parts, 2 if action == 5 else 1)
    return parts


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment: blocks on their own lines, list items as "- ", entities decoded."""
    if not html or not isinstance(html, str):
        return ""
    source = _CONTROL.sub("", unescape_if_escaped(html))
    markup = bool(_REAL_TAG.search(source))
    try:
        parts = _simple_parts(source, markup)
        if parts is None:
            parser = _TextExtractor(markup=markup)
            parser.feed(source)
            parser.close()
            parts = parser.parts
        raw = "".join(parts)
    except Exception:  # noqa: BLE001 - malformed markup falls back to a crude strip
        raw = htmllib.unescape(re.sub(r"<[^>]*>", " ", source))
    return _fold_lines(raw)


def clean_text(value: str | None) -> str | None:
    """One line of plain text (titles, employers): tags stripped, entities decoded, spaces folded."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    text = html_to_text(value) if "<" in value or "&" in value else value
    text = _fold_spaces(_CONTROL.sub("", text).replace("\n", " ")).strip()
    return text or None
