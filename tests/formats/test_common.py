import pytest

from questions.formats.common import clean_html, html_to_text, number_text, render_markup


@pytest.mark.parametrize(
    ("html", "clean"),
    [
        ("<p>One paragraph</p>", "One paragraph"),
        ("<p>One</p><p>Two</p>", "<p>One</p><p>Two</p>"),
        ('<b onclick="x()">Bold</b><script>x()</script>', "<b>Bold</b>"),
        ('<img src="a.png" onerror="x()">', '<img src="a.png">'),
        ('<a href="javascript:x()">link</a>', '<a rel="noopener noreferrer">link</a>'),
        ("<style>p {}</style><blink>Hi</blink>", "Hi"),
    ],
)
def test_clean_html_keeps_safe_markup_only(html, clean):
    assert clean_html(html) == clean


def test_html_to_text_gives_what_a_student_would_type():
    assert (
        html_to_text("<p>Averell&nbsp;<b>Harriman</b></p><p>&amp; Co</p>")
        == "Averell Harriman & Co"
    )


def test_render_markup_escapes_plain_text_and_keeps_clean_markup():
    assert render_markup("3 < 4\nand 5 > 4") == "<p>3 &lt; 4<br>and 5 &gt; 4</p>"
    assert render_markup('Who? <img src="/media/a.png"><script>x()</script>') == (
        'Who? <img src="/media/a.png">'
    )


@pytest.mark.parametrize(("number", "text"), [(1968.0, "1968"), (1968, "1968"), (0.5, "0.5")])
def test_number_text_drops_a_needless_point_zero(number, text):
    assert number_text(number) == text
