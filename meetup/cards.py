"""Link-preview cards: 1200×630 PNGs (Open Graph's size) that chat apps show
when a link is pasted. Strings in, PNG bytes out: what they say is decided by
`services.preview_cards`; this draws it, and lists every string it drew, so a
test can read back exactly what reached the picture.

Fonts are DejaVu (a free licence, meetup/fonts/LICENSE-DejaVu.txt), shipped in
the repository so a card looks the same on every machine.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

WIDTH, HEIGHT = 1200, 630
FONTS = Path(__file__).resolve().parent / "fonts"
#: Hearth's colours (static/hearth.css).
PAPER, INK, INK_SOFT, BRAND, TINT = (
    "#fbf7f1",
    "#2a1f17",
    "#5b4a3d",
    "#9c3f1c",
    "#f6e5d8",
)
MARGIN = 72
PICTURE_WIDTH = 420


@dataclass(frozen=True)
class Card:
    """What one card says, top to bottom. Every field is optional but `title`."""

    title: str
    eyebrow: str = ""  # the group, small, above the title
    lines: tuple[str, ...] = ()  # when, where
    badge: str = ""  # "2 places left", "Full · waitlist open"
    footer: str = "Hearth"
    #: The group's cover, by its storage key: a new picture, a new card.
    picture: str = ""


@dataclass
class Drawn:
    png: bytes
    strings: list[str] = field(default_factory=list)


def draw(card: Card, picture: bytes | None = None) -> Drawn:
    """`picture`: the cover's bytes (already drawn by Hearth), shown on the right."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(image)
    strings: list[str] = []
    right = WIDTH
    if picture:
        right = WIDTH - PICTURE_WIDTH
        with Image.open(io.BytesIO(picture)) as cover:
            fitted = ImageOps.fit(cover.convert("RGB"), (PICTURE_WIDTH, HEIGHT))
        image.paste(fitted, (right, 0))
    room = right - 2 * MARGIN

    def write(xy, text, font, fill, anchor="la") -> None:
        pen.text(xy, text, font=font, fill=fill, anchor=anchor)
        strings.append(text)

    pen.rectangle((0, 0, right, 16), fill=BRAND)
    y = 72
    if card.eyebrow:
        write((MARGIN, y), _fit(card.eyebrow, _font("DejaVuSans-Bold", 34), 1, room)[0],
              _font("DejaVuSans-Bold", 34), BRAND)  # fmt: skip
        y += 60
    size = 72 if len(card.title) <= 40 else 58
    title_font = _font("DejaVuSerif-Bold", size)
    for line in _fit(card.title, title_font, 2, room):
        write((MARGIN, y), line, title_font, INK)
        y += int(size * 1.2)
    y += 24
    body = _font("DejaVuSans", 38)
    for text in card.lines:
        for line in _fit(text, body, 1, room):
            write((MARGIN, y), line, body, INK_SOFT)
            y += 54
    bottom = HEIGHT - 64
    foot = _font("DejaVuSans-Bold", 32)
    write((MARGIN, bottom - 32), card.footer, foot, BRAND)
    if card.badge:
        badge = _font("DejaVuSans-Bold", 34)
        left, _top, right_edge, _bottom = pen.textbbox((0, 0), card.badge, font=badge)
        x = right - MARGIN - (right_edge - left) - 48
        pen.rounded_rectangle((x, bottom - 52, right - MARGIN, bottom + 16),
                              radius=34, fill=TINT)  # fmt: skip
        write((x + 24, bottom - 18), card.badge, badge, BRAND, anchor="lm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return Drawn(out.getvalue(), strings)


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / f"{name}.ttf"), size)


def _fit(text: str, font: ImageFont.FreeTypeFont, most: int, room: int) -> list[str]:
    """The text in at most `most` lines `room` wide, the last cut with an
    ellipsis where it would run over."""
    words, lines = text.split(), []
    line = ""
    for word in words:
        trial = f"{line} {word}".strip()
        if font.getlength(trial) <= room or not line:
            line = trial
            continue
        lines.append(line)
        line = word
    if line:
        lines.append(line)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] += " …"
    lines = [_cut(line, font, room) for line in lines]
    return lines or [""]


def _cut(line: str, font: ImageFont.FreeTypeFont, room: int) -> str:
    if font.getlength(line) <= room:
        return line
    while line and font.getlength(line + "…") > room:
        line = line[:-1]
    return line.rstrip() + "…"
