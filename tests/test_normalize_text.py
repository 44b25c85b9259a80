"""Description HTML: sanitizing untrusted markup, plain text, one-line values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pacsjobs.normalize.text import clean_text, html_to_text, sanitize_html

# Greenhouse `content` arrives HTML-escaped (the Job Board API's documented shape).
GREENHOUSE_CONTENT = (
    "&lt;p&gt;&lt;strong&gt;PACS Administrator&lt;/strong&gt;&lt;/p&gt;\n"
    "&lt;ul&gt;\n&lt;li&gt;DICOM &amp;amp; HL7&lt;/li&gt;\n&lt;li&gt;Modality worklist&lt;/li&gt;\n&lt;/ul&gt;"
)


def test_escaped_description_is_unescaped_then_sanitized():
    assert sanitize_html(GREENHOUSE_CONTENT) == (
        "<p><strong>PACS Administrator</strong></p>\n<ul>\n<li>DICOM &amp; HL7</li>\n"
        "<li>Modality worklist</li>\n</ul>"
    )


def test_escaped_description_to_text():
    assert html_to_text(GREENHOUSE_CONTENT) == (
        "PACS Administrator\n\n- DICOM & HL7\n- Modality worklist"
    )


def test_double_escaped():
    assert sanitize_html("&amp;lt;p&amp;gt;Imaging&amp;lt;/p&amp;gt;") == "<p>Imaging</p>"


def test_real_tags_with_escaped_text_are_not_unescaped():
    # An escaped tag inside real markup is text the author meant to show.
    assert sanitize_html("<p>Use the &lt;b&gt; tag</p>") == "<p>Use the &lt;b&gt; tag</p>"


@pytest.mark.parametrize(
    ("html", "bad"),
    [
        ("<p>Hi</p><script>alert(1)</script>", "alert"),
        ("<style>p{color:red}</style><p>Hi</p>", "color"),
        ('<iframe src="https://evil.example"></iframe><p>Hi</p>', "iframe"),
        ('<p onclick="steal()">Hi</p>', "onclick"),
        ('<a href="javascript:alert(1)">x</a>', "javascript"),
        ('<a href="data:text/html,<script>x</script>">x</a>', "data:"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("<object data='x.swf'></object>", "object"),
        ('<form action="https://evil.example"><input name="ssn"></form>', "input"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "alert"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
        ('<p style="position:fixed">x</p>', "position"),
        ("<!-- tracking --><p>x</p>", "tracking"),
    ],
)
def test_dangerous_markup_removed(html, bad):
    out = sanitize_html(html)
    assert bad.lower() not in out.lower()


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<a href="https://jobs.example.org/apply">Apply</a>',
            '<a href="https://jobs.example.org/apply" rel="nofollow noopener noreferrer">Apply</a>',
        ),
        (
            '<a href="mailto:jobs@example.org">Mail</a>',
            '<a href="mailto:jobs@example.org" rel="nofollow noopener noreferrer">Mail</a>',
        ),
        ('<a href="ftp://example.org/x">F</a>', '<a rel="nofollow noopener noreferrer">F</a>'),
        ("<h2>Duties</h2><p>One<br>Two</p>", "<h2>Duties</h2><p>One<br>Two</p>"),
        (
            '<table><tr><td colspan="2">a</td></tr></table>',
            '<table><tbody><tr><td colspan="2">a</td></tr></tbody></table>',
        ),
        (
            "<b>b</b><i>i</i><u>u</u><em>e</em><span>s</span>",
            "<b>b</b><i>i</i><u>u</u><em>e</em><span>s</span>",
        ),
        ('<div class="x" id="y">d</div>', "<div>d</div>"),
        ("<font color=red>old</font>", "old"),
        (None, ""),
        ("", ""),
    ],
)
def test_sanitize_keeps_formatting(html, expected):
    assert sanitize_html(html) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<p>Intro</p><ul><li>DICOM</li><li>HL7</li></ul><p>End</p>",
            "Intro\n\n- DICOM\n- HL7\n\nEnd",
        ),
        ("<ul>\n  <li>\n    <p>HL7</p>\n  </li>\n</ul>", "- HL7"),
        ("<div>Line1<br/>Line2</div><div>Line3</div>", "Line1\nLine2\nLine3"),
        ("<p>One   two\n\tthree</p>", "One two three"),
        ("<p>a</p><br><br><br><br><p>b</p>", "a\n\nb"),
        ("<p>AT&amp;T &nbsp; Cerner&#8217;s</p>", "AT&T Cerner\u2019s"),
        ("<p>Hi<script>var x = 1;</script></p>", "Hi"),
        (
            "<table><tr><th>Min</th><th>Max</th></tr><tr><td>$31</td><td>$48</td></tr></table>",
            "Min Max\n$31 $48",
        ),
        ("plain text\n\n\n\nmore", "plain text\n\nmore"),
        ("<p>unclosed <b>bold", "unclosed bold"),
        ("a < b and c > d", "a < b and c > d"),
        (None, ""),
    ],
)
def test_html_to_text(html, expected):
    assert html_to_text(html) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  PACS   Administrator\n II ", "PACS Administrator II"),
        ("<b>PACS</b>&nbsp;Administrator &amp; Analyst", "PACS Administrator & Analyst"),
        ("Cleveland Clinic\u00a0", "Cleveland Clinic"),
        ("AT&T", "AT&T"),
        ("Johnson &amp; Johnson", "Johnson & Johnson"),
        ("   ", None),
        ("<p></p>", None),
        (None, None),
        (42, "42"),
    ],
)
def test_clean_text(value, expected):
    assert clean_text(value) == expected


# -- the fast path for simple markup gives exactly what HTMLParser gives --------------------------
_SOUP = ["<p>", "</p>", "<br>", "<br/>", "<li>", "</li>", "<ul>", "</ul>", "<td>", "<th>", "<h3>", "</h3>",
         "<div>", "</div>", "<b>", "</b>", "<script>", "</script>", "<style>", "<P>", "</LI>", "<hr/>", "<span>",
         "text", "Dicom &amp; HL7", " ", "\n", "  - ", "-", "&lt;", "&nbsp;", "x\r\ny", "a < b"]


@given(st.lists(st.sampled_from(_SOUP), max_size=25), st.booleans())
def test_simple_markup_fast_path_is_htmlparser(parts, markup):
    from pacsjobs.normalize.text import _simple_parts, _TextExtractor

    source = "".join(parts)
    fast = _simple_parts(source, markup)
    if fast is None:  # not simple: HTMLParser itself is used
        return
    parser = _TextExtractor(markup=markup)
    parser.feed(source)
    parser.close()
    assert "".join(fast) == "".join(parser.parts)
