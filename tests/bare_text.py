"""Text in a template that no gettext call wraps: what a translator would never see."""

import re

KEEP = {
    "Hearth",
    "· Hearth",
    "Google Calendar",
    "Outlook.com",
    "WhatsApp",
    "·",
    "content=website",
    "content=Hearth",
}
ATTRS = (
    "aria-label",
    "placeholder",
    "title",
    "alt",
    "content",
    "data-confirm",
    "label",
    "value",
)


def bare(source: str) -> list[str]:
    """Prose left in the template outside _(), ngettext() and pgettext()."""
    s = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    # Literal strings inside Jinja code that look like prose (a capital, a space)
    found = []
    for block in re.findall(r"\{\{.*?\}\}|\{%.*?%\}", s, flags=re.S):
        code = re.sub(r"_\(\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')", "_(", block)
        code = re.sub(
            r"n?gettext\(\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')\s*,\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')",
            "ngettext(",
            code,
        )
        code = re.sub(
            r"pgettext\(\s*(\"[^\"]*\"|'[^']*')\s*,\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')",
            "pgettext(",
            code,
        )
        for lit in re.findall(r"\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'", code):
            text = lit[0] or lit[1]
            if re.fullmatch(r"[a-z-]+( [a-z-]+)*", text):
                continue  # CSS classes, endpoint-like words
            if re.search(r"[A-Za-z]{2,}\s+[A-Za-z]", text) or re.fullmatch(
                r"[A-Z][a-z]+[.!?]?", text
            ):
                found.append(text)
    s = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "\x00", s, flags=re.S)
    for tag in re.findall(r"<[^>]*>", s):
        for name, value in re.findall(r'([a-z-]+)="([^"]*)"', tag):
            if re.fullmatch(r"[a-z-]+(/[a-z-]+)?|Hearth", value):
                continue  # a machine value (value="going", og:type, a MIME type)
            if (
                name in ATTRS
                and re.search(r"[A-Za-z]{2}", value.replace("\x00", ""))
                and not value.startswith(("http", "#", "/"))
            ):
                if (
                    name == "content"
                    and "property" not in tag
                    and 'name="description"' not in tag
                ):
                    continue
                if name == "value" and 'type="submit"' not in tag:
                    continue
                found.append(f"{name}={value}")
    s = re.sub(r"<[^>]*>", "\x00", s)
    for chunk in s.split("\x00"):
        text = " ".join(chunk.split())
        if (
            re.search(r"[A-Za-z]{2}", text)
            and text not in KEEP
            and not text.startswith("&")
        ):
            found.append(text)
    return found
