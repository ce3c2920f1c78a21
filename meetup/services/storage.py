"""Where uploaded pictures are kept, behind one small interface: a folder
(instance/uploads by default) or S3-compatible object storage (boto3), as
UPLOADS_URL says. Keys are Hearth's own (`covers/12-ab12….jpg`), never a name
someone typed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

from flask import current_app

_KEY = re.compile(r"[a-z]+/[0-9]+-[0-9a-f]{16}\.(jpg|png|webp)")


class Store(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...
    def get(self, key: str) -> bytes | None: ...
    def delete(self, key: str) -> None: ...


class Folder:
    def __init__(self, root: Path):
        self.root = root

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(path)  # whole or not at all

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        return path.read_bytes() if path.is_file() else None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key


class Bucket:
    """Any S3 API: AWS, Cloudflare R2, MinIO, Scaleway, Backblaze B2..."""

    def __init__(self, bucket: str, prefix: str, endpoint: str | None,
                 region: str | None):  # fmt: skip
        import boto3  # only where object storage is configured

        self.bucket, self.prefix = bucket, prefix
        self.client = boto3.client("s3", endpoint_url=endpoint, region_name=region)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data,
                               ContentType=content_type)  # fmt: skip

    def get(self, key: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            found = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            # Missing: 404, or 403 where the credentials may not list the bucket.
            if error.response.get("Error", {}).get("Code") in (
                "NoSuchKey", "404", "403", "AccessDenied"
            ):  # fmt: skip
                return None
            raise
        return found["Body"].read()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def _key(self, key: str) -> str:
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a storage key: {key!r}")
        return f"{self.prefix}/{key}" if self.prefix else key


def store() -> Store:
    """The app's store, made once per app."""
    found = current_app.extensions.get("hearth.storage")
    if found is None:
        found = current_app.extensions["hearth.storage"] = _open(
            current_app.config["UPLOADS_URL"]
        )
    return found


def _open(url: str) -> Store:
    parts = urlsplit(url)
    if parts.scheme == "file":
        return Folder(Path(parts.path))
    options = parse_qs(parts.query)
    return Bucket(
        parts.netloc,
        parts.path.strip("/"),
        options.get("endpoint", [None])[0],
        options.get("region", [None])[0],
    )
