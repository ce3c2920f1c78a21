"""Markdown from organisers is rendered, and anything active is removed."""

from html.parser import HTMLParser

import pytest

from meetup.text import render_markdown


class ActiveContent(HTMLParser):
    """Collects what a browser would act on: tags, handlers and link schemes."""

    def __init__(self):
        super().__init__()
        self.tags, self.problems = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} has handler {name}")
            scheme = (value or "").strip().lower().split(":", 1)[0]
            if name in ("href", "src") and scheme not in ("http", "https", "mailto"):
                self.problems.append(f"{tag} {name}={value}")


def active_content(html: str) -> ActiveContent:
    parser = ActiveContent()
    parser.feed(html)
    return parser


def test_markdown_is_rendered():
    html = render_markdown("**Bring** a dish\n\n- wine\n- bread")
    assert "<strong>Bring</strong>" in html
    assert "<li>wine</li>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "hello <script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        '<svg onload="alert(1)">',
        "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_sanitised_markdown_drops_anything_active(source):
    found = active_content(render_markdown(source))
    assert found.problems == []
    assert found.tags <= {"p", "a", "em", "strong"}, found.tags


def test_links_get_safe_rel():
    html = render_markdown("[our Discord](https://discord.gg/abc)")
    assert 'href="https://discord.gg/abc"' in html
    assert "noopener" in html
