"""A group's cover: what an organiser uploads is checked, drawn again and only
then kept; bad files are refused with a reason and nothing is stored."""

from __future__ import annotations

import html
import io
import struct
import uuid
import zipfile
import zlib

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from meetup.extensions import db
from meetup.models import Group
from meetup.services import covers, preview_cards, storage
from tests.conftest import free_port
from tests.scenes import organiser_of


@pytest.fixture
def kept(app, tmp_path):
    """Covers go to a folder of this test's own."""
    app.config["UPLOADS_URL"] = f"file://{tmp_path}"
    app.extensions.pop("hearth.storage", None)
    yield tmp_path
    app.extensions.pop("hearth.storage", None)


@pytest.fixture
def circle(make_user, make_group):
    return make_group(make_user(name="Maria"), name="Book Circle")


def photo(size=(2400, 1600), exif_gps=False, kind="JPEG") -> bytes:
    image = Image.new("RGB", size, (180, 90, 40))
    out = io.BytesIO()
    extra = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"
        # GPSInfo: 55°57'N 3°11'W, where the home is.
        exif.get_ifd(0x8825).update({1: "N", 2: (55.0, 57.0, 11.7), 3: "W",
                                      4: (3.0, 11.0, 17.8)})  # fmt: skip
        extra["exif"] = exif
    image.save(out, kind, **extra)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header says width×height: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1024, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)
            + chunk(b"IEND", b""))  # fmt: skip


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cover.jpg", b"\x00" * 50_000_000)
    return out.getvalue()


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b"<script>alert(1)</script></svg>")  # fmt: skip


def post(client, circle, data: bytes, name: str = "cover.jpg"):
    """As a browser posts the form. The body is encoded here: werkzeug's test
    client would spool a large one to a file it never closes."""
    fields = {"csrf_token": client.csrf_token(),
              "picture": FileStorage(io.BytesIO(data), name)}  # fmt: skip
    boundary, body = encode_multipart(fields)
    kind = f"multipart/form-data; boundary={boundary}"
    return client.post(f"/groups/{circle.slug}/cover", data=body, csrf=False,
                       content_type=kind)  # fmt: skip


def test_a_photo_is_drawn_again_without_its_gps_and_served_as_drawn(
    client, login, circle, kept
):
    login(organiser_of(circle).user)
    uploaded = photo(exif_gps=True)
    assert b"PhoneMaker" in uploaded  # the upload does carry its EXIF
    reply = post(client, circle, uploaded)
    assert reply.status_code in (302, 303)
    group = db.session.get(Group, circle.id)
    assert group.cover_key.startswith(f"covers/{circle.id}-")
    served = client.get(f"/groups/{circle.slug}/cover.jpg")
    assert served.mimetype == "image/jpeg" and served.data != uploaded
    with Image.open(io.BytesIO(served.data)) as image:
        assert max(image.size) == covers.SIDE and not image.getexif()
    assert b"PhoneMaker" not in served.data and b"Exif" not in served.data
    files = [p for p in kept.rglob("*") if p.is_file()]
    assert [p.read_bytes() for p in files] == [served.data]  # nothing else kept
    # The card shows it: a new picture, a new version.
    card = preview_cards.group_card(group)
    assert card.picture == group.cover_key
    assert client.get(f"/groups/{circle.slug}/card.png").status_code == 200


REFUSED = {
    "a zip bomb": (zip_bomb, "isn't a picture we can use"),
    "a 20,000×20,000 PNG": (lambda: png_claiming(20_000, 20_000), "too many pixels"),
    "an SVG with a script": (lambda: SVG, "isn't a picture we can use"),
    "a PNG with a zip after it": (
        lambda: photo(kind="PNG", size=(40, 40)) + zip_bomb(),
        "more than a picture",
    ),
    "a JPEG with a page after it": (
        lambda: photo(size=(40, 40)) + b"<html><script>x()</script></html>",
        "more than a picture",
    ),
    "a GIF": (lambda: photo(kind="GIF", size=(40, 40)), "isn't a picture we can use"),
    "over 5 MB": (
        lambda: photo(size=(40, 40)) + b"\x00" * covers.MOST_BYTES,
        "over 5 MB",
    ),  # fmt: skip
    "an empty file": (lambda: b"", "isn't a picture we can use"),
    "text": (lambda: b"hello", "isn't a picture we can use"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_bad_file_is_refused_with_a_reason_and_nothing_is_stored(
    client, login, circle, kept, case
):
    make, said = REFUSED[case]
    login(organiser_of(circle).user)
    reply = post(client, circle, make())
    assert reply.status_code == 400, case
    assert said in html.unescape(reply.get_data(as_text=True)), case
    assert db.session.get(Group, circle.id).cover_key is None
    assert not [p for p in kept.rglob("*") if p.is_file()], case


def test_taking_it_down_deletes_it(client, login, circle, kept):
    login(organiser_of(circle).user)
    post(client, circle, photo())
    assert [p for p in kept.rglob("*") if p.is_file()]
    client.post(f"/groups/{circle.slug}/cover/remove")
    assert db.session.get(Group, circle.id).cover_key is None
    assert not [p for p in kept.rglob("*") if p.is_file()]
    assert client.get(f"/groups/{circle.slug}/cover.jpg").status_code == 404


def test_a_new_cover_replaces_the_old_file(client, login, circle, kept):
    login(organiser_of(circle).user)
    post(client, circle, photo())
    post(client, circle, photo(size=(800, 800)))
    assert len([p for p in kept.rglob("*") if p.is_file()]) == 1


def test_object_storage_keeps_covers_as_a_folder_does(
    app, client, login, circle, monkeypatch
):
    """The same upload through boto3 to a local S3-compatible server (moto)."""
    from moto.server import ThreadedMotoServer

    # moto keeps its buckets for the whole process: one name per run.
    bucket_name = f"hearth-covers-{uuid.uuid4().hex[:12]}"
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port())
    server.start()
    try:
        host, port = server.get_host_and_port()
        for name, value in (("AWS_ACCESS_KEY_ID", "hearth"),
                            ("AWS_SECRET_ACCESS_KEY", "hearth-secret")):  # fmt: skip
            monkeypatch.setenv(name, value)
        endpoint = f"http://{host}:{port}"
        app.config["UPLOADS_URL"] = (
            f"s3://{bucket_name}/club?endpoint={endpoint}&region=eu-west-1"
        )
        app.extensions.pop("hearth.storage", None)
        with app.app_context():
            bucket = storage.store()
            bucket.client.create_bucket(
                Bucket=bucket_name,
                CreateBucketConfiguration={"LocationConstraint": "eu-west-1"},
            )
        login(organiser_of(circle).user)
        assert post(client, circle, photo(exif_gps=True)).status_code in (302, 303)
        key = db.session.get(Group, circle.id).cover_key
        kept = bucket.client.get_object(Bucket=bucket_name, Key=f"club/{key}")
        assert kept["ContentType"] == "image/jpeg"
        served = client.get(f"/groups/{circle.slug}/cover.jpg").data
        assert kept["Body"].read() == served and b"PhoneMaker" not in served
        client.post(f"/groups/{circle.slug}/cover/remove")
        listed = bucket.client.list_objects_v2(Bucket=bucket_name)
        assert listed.get("KeyCount", 0) == 0
    finally:
        server.stop()
        app.extensions.pop("hearth.storage", None)
