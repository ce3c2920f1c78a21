"""Turning what people type into safe HTML, and into file names."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from slugify import slugify

# Raw HTML in the source is escaped by markdown-it; nh3 then removes anything
# that still is not plain formatting (defence in depth against parser bugs).
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["strikethrough", "table"]
)
_ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "hr",
    "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}  # fmt: skip


def render_markdown(source: str) -> Markup:
    html = _markdown.render(source or "")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)  # nosec B704 # sanitised by nh3.clean() above


def file_name(title: str, fallback: str) -> str:
    """'Supper at Maria's: crêpes!' -> 'supper-at-marias-crepes', for downloads."""
    return (
        slugify(
            title,
            max_length=60,
            word_boundary=True,
            replacements=[["'", ""], ["’", ""]],
        )
        or fallback
    )


def first_name(display_name: str) -> str:
    """How a list or a message names someone: "Aisha", from "Aisha Khan"."""
    words = display_name.split()
    return words[0] if words else display_name
