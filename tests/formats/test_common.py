import pytest
from django.template import Context, Template

from questions.formats.common import (
    clean_html,
    html_to_text,
    number_text,
    plain_text,
    render_markup,
)


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


@pytest.mark.parametrize(
    ("text", "inline", "shown"),
    [
        ("3 < 4\nand 5 > 4", False, "<p>3 &lt; 4<br>and 5 &gt; 4</p>"),
        ("3 < 4\nand 5 > 4", True, "3 &lt; 4<br>and 5 &gt; 4"),
        ("<p><b>Bold</b></p>", True, "<b>Bold</b>"),
    ],
)
def test_rendered_markup_is_marked_safe_so_a_template_does_not_escape_it_again(text, inline, shown):
    rendered = render_markup(text, inline=inline)

    assert rendered == shown
    assert Template("{{ text }}").render(Context({"text": rendered})) == shown


@pytest.mark.parametrize(
    ("text", "plain"),
    [("<b>Step</b> 1", "Step 1"), ("3 < 4 and 5 > 4", "3 < 4 and 5 > 4"), ("a<br>b", "a b")],
)
def test_plain_text_drops_markup_and_keeps_plain_text(text, plain):
    assert plain_text(text) == plain


@pytest.mark.parametrize(("number", "text"), [(1968.0, "1968"), (1968, "1968"), (0.5, "0.5")])
def test_number_text_drops_a_needless_point_zero(number, text):
    assert number_text(number) == text


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ('<span style="font-style: italic;">Modular</span>', "<span><em>Modular</em></span>"),
        ('<span style="font-weight:bold">a</span>', "<span><strong>a</strong></span>"),
        ('<p style="text-decoration: underline">a</p>', "<u>a</u>"),
        (
            '<span style="font-style:italic">a <span style="font-weight:700">b</span> c</span>',
            "<span><em>a <span><strong>b</strong></span> c</em></span>",
        ),
        ('<span style="color:red">AT&T &lt;b&gt;</span>', "<span>AT&amp;T &lt;b&gt;</span>"),
        ('<p dir="ltr" style="text-align: left;">2<br></p>', "2"),
        ('<source style="font-weight:bold">after', "after"),
    ],
)
def test_editor_styles_become_markup_and_nothing_else_changes(written, kept):
    assert clean_html(written) == kept
