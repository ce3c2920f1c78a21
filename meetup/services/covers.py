"""A group's cover picture: what an organiser uploads is read, checked and
drawn again by Pillow; only that new JPEG is kept and ever served.

An upload is refused with a reason when it is too big, not a JPEG, PNG or WebP
(an SVG, a zip), holds more pixels than a phone's camera makes (a
decompression bomb is refused before it is decoded), or carries more after the
picture's end (a polyglot). Drawing it again keeps no metadata at all: a phone
photo's EXIF, with the GPS of the home it was taken in, never reaches storage.
"""

from __future__ import annotations

import hashlib
import io

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from meetup import permissions
from meetup.errors import InvalidInput, NotAllowed
from meetup.extensions import db
from meetup.models import Group, Membership
from meetup.services import storage

MOST_BYTES = 5 * 1024 * 1024
#: 48 megapixels: the largest phone cameras'; more is a bomb or a scan.
MOST_PIXELS = 48_000_000
#: The longest side kept: sharp on a card and a page, small to serve.
SIDE = 1600
FORMATS = ("JPEG", "PNG", "WEBP")
PAPER = (251, 247, 241)  # what a transparent picture is laid on


def upload(actor: Membership | None, group: Group, data: bytes) -> str | None:
    """Keep the picture as the group's cover; the key of the one it replaces
    (for `forget`, once the change is committed)."""
    if not permissions.can_manage_group(actor) or actor.group_id != group.id:
        raise NotAllowed(_("Only the group's organisers can do that."))
    with _read(data) as image:
        drawn = _redrawn(image)
    key = f"covers/{group.id}-{hashlib.sha256(drawn).hexdigest()[:16]}.jpg"
    storage.store().put(key, drawn, "image/jpeg")
    old, group.cover_key = group.cover_key, key
    db.session.flush()
    return old if old != key else None


def remove(actor: Membership | None, group: Group) -> str | None:
    if not permissions.can_manage_group(actor) or actor.group_id != group.id:
        raise NotAllowed(_("Only the group's organisers can do that."))
    old, group.cover_key = group.cover_key, None
    db.session.flush()
    return old


def forget(key: str | None) -> None:
    """Delete a picture no group points at any more."""
    if key is not None:
        storage.store().delete(key)


def picture(group: Group) -> bytes | None:
    return storage.store().get(group.cover_key) if group.cover_key else None


def _read(data: bytes) -> Image.Image:
    if len(data) > MOST_BYTES:
        raise InvalidInput("picture", _(
            "That picture is over 5 MB: choose a smaller one."))  # fmt: skip
    unreadable = InvalidInput(
        "picture",
        _(
            "That file isn't a picture we can use: choose a JPEG, PNG or WebP photo."
        ),  # fmt: skip
    )
    too_many = InvalidInput("picture", _(
        "That picture has too many pixels: choose one under 48 megapixels."
    ))  # fmt: skip
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:  # Pillow's own guard, at twice its limit
        raise too_many from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise unreadable from None
    if image.format not in FORMATS:
        raise unreadable
    width, height = image.size
    if width * height > MOST_PIXELS:  # known from the header, before decoding
        raise too_many
    if _more_after_the_end(data, image.format):
        raise InvalidInput("picture", _(
            "That file holds more than a picture. Save the photo again, then "
            "choose it."))  # fmt: skip
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise unreadable from None
    return image


def _more_after_the_end(data: bytes, kind: str) -> bool:
    """Bytes past the picture's own end (padding of zeros aside). Best effort:
    drawing it again drops whatever is hidden anyway."""
    if kind == "PNG":
        end = data.rfind(b"IEND")
        tail = data[end + 8 :] if end >= 0 else b""
    elif kind == "JPEG":
        end = data.rfind(b"\xff\xd9")
        tail = data[end + 2 :] if end >= 0 else b""
    else:  # WEBP: a RIFF file says its own length
        tail = data[8 + int.from_bytes(data[4:8], "little") :]
    return bool(tail.strip(b"\x00"))


def _redrawn(image: Image.Image) -> bytes:
    image = ImageOps.exif_transpose(image)  # upright, as the phone showed it
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        laid = Image.new("RGB", image.size, PAPER)
        laid.paste(image, mask=image.getchannel("A"))
        image = laid
    image = image.convert("RGB")
    image.thumbnail((SIDE, SIDE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)  # no exif=, no icc_profile=
    return out.getvalue()
