"""Every string is translated in every shipped catalog, placeholders intact,
and no text in a template or the code escapes the catalogs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.bare_text import bare

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "meetup" / "translations"
SHIPPED = ("es", "fr")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "_l": None, "pgettext_l": ((1, "c"), 2), "N_": None}  # fmt: skip
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalog(locale: str):
    with open(CATALOGS / locale / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file, locale=locale)


def source_ids() -> set:
    """What the code and templates ask to translate, read afresh."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else tuple(message)
        found.add((context, key))
    return found


def keys(messages) -> set:
    return {
        (m.context, m.id if isinstance(m.id, str) else tuple(m.id))
        for m in messages
        if m.id
    }


def test_the_catalog_template_holds_every_string_in_the_code():
    with open(CATALOGS / "messages.pot", "rb") as file:
        template = read_po(file)
    missing = source_ids() - keys(template)
    assert not missing, f"run `make translations`, then translate: {sorted(missing)}"


def test_no_string_to_translate_hides_in_an_f_string():
    """Babel's extractor does not look inside f-strings: a `_()` there is
    never in the catalog, so never translated (one was, until 2026-12)."""
    hidden = []
    for path in sorted((ROOT / "meetup").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                        and inner.func.id in KEYWORDS):  # fmt: skip
                    hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not hidden, hidden


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_string_is_translated_with_its_placeholders(locale):
    found = catalog(locale)
    problems = []
    for message in found:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        forms = [message.string] if isinstance(message.string, str) else message.string
        if message.fuzzy or not all(forms):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for form in forms:
            # A singular may leave the count out ("Please fix this"); nothing else.
            if not set(PLACEHOLDER.findall(form)) <= wanted or (
                form is forms[-1] and set(PLACEHOLDER.findall(form)) != wanted
            ):
                problems.append(f"placeholders differ: {ids[-1]!r} → {form!r}")
    assert keys(found) >= source_ids(), "catalog is behind: run make translations"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("locale", SHIPPED)
def test_no_translation_brings_markup_the_english_has_not(locale):
    """Templates output translations as markup, attributes included: a stray <
    or straight quote in a msgstr would be HTML, not text."""
    risky = set('<>"')
    found = []
    for message in catalog(locale):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        forms = [message.string] if isinstance(message.string, str) else message.string
        allowed = {char for text in ids for char in text if char in risky}
        for form in forms:
            if {char for char in form if char in risky} - allowed:
                found.append(form)
    assert not found, found


def test_no_template_holds_text_a_translator_cannot_see():
    left = {
        str(path.relative_to(ROOT)): found
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if (found := [text for text in bare(path.read_text()) if text.strip()])
    }
    assert not left, left


def test_the_bare_text_finder_finds_planted_text():
    assert bare("<p>Hello there</p>") == ["Hello there"]
    assert bare('<p>{{ _("Hello there") }}</p>') == []
    assert bare('<input placeholder="Your name">') == ["placeholder=Your name"]
    assert bare("{{ 'Yes please' if x else _('No') }}") == ["Yes please"]
