"""File storage behind one interface: a local directory by default, S3-compatible object storage when configured.

Keys are relative paths such as `photos/12/abc.jpg`. Files are never served from the store directly
(no public bucket URLs): views open them and stream them after their own permission check.
"""
import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator

from flask import Flask, current_app


class StoreError(Exception):
    """The store could not be reached or refused the operation."""


@dataclass(frozen=True)
class Entry:
    """One stored file: its key and when it was last written (UTC)."""

    key: str
    modified: datetime


def _check_key(key: str) -> str:
    path = PurePosixPath(key)
    if not key or path.is_absolute() or ".." in path.parts or "\\" in key:
        raise ValueError(f"bad storage key {key!r}")
    return str(path)


class LocalStore:
    """Files under a directory of this host (the embedded default; one host, or a shared mount)."""

    kind = "local"

    def __init__(self, root: str):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _check_key(key)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """Write the file atomically (a reader never sees half of it)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        """Open a stored file for reading; FileNotFoundError when there is none."""
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        """Remove a file (no error when it is already gone)."""
        self._path(key).unlink(missing_ok=True)

    def list(self, prefix: str = "") -> Iterator[Entry]:
        """Yield every file whose key starts with prefix (a folder such as `photos/`)."""
        base = self._path(prefix.rstrip("/")) if prefix else self.root
        if not base.is_dir():
            return
        for path in base.rglob("*"):
            if path.is_file() and not path.name.startswith(".part-"):
                when = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
                yield Entry(path.relative_to(self.root).as_posix(), when)

    def check(self) -> None:
        """Raise StoreError unless a file can be written and removed here."""
        probe = f".healthz-{secrets.token_hex(4)}"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self.put(probe, b"ok")
            self.delete(probe)
        except OSError as exc:
            raise StoreError(str(exc)) from exc


class S3Store:
    """Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph …): every host sees the same files."""

    kind = "s3"

    def __init__(self, bucket: str, client, prefix: str = ""):
        self.bucket, self.client, self.prefix = bucket, client, prefix.strip("/")

    def _key(self, key: str) -> str:
        key = _check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """Upload one object (private: no ACL grants anyone else)."""
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, ContentType=content_type)

    def open(self, key: str) -> BinaryIO:
        """Return a stream of the object's bytes; FileNotFoundError when there is none."""
        from botocore.exceptions import ClientError
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(key) from exc
            raise

    def delete(self, key: str) -> None:
        """Remove an object (no error when it is already gone)."""
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def list(self, prefix: str = "") -> Iterator[Entry]:
        """Yield every object whose key starts with prefix."""
        full = self._key(prefix) if prefix else (f"{self.prefix}/" if self.prefix else "")
        if prefix.endswith("/") and not full.endswith("/"):
            full += "/"
        skip = len(self.prefix) + 1 if self.prefix else 0
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=full):
            for item in page.get("Contents", []):
                yield Entry(item["Key"][skip:], item["LastModified"].astimezone(timezone.utc))

    def check(self) -> None:
        """Raise StoreError unless the bucket answers (a cheap HEAD, no object read or written)."""
        from botocore.exceptions import BotoCoreError, ClientError
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as exc:
            raise StoreError(str(exc)) from exc


def s3_client(config: dict):
    """Build a boto3 S3 client from the app's S3_* settings (keys: given, else boto3's own chain)."""
    import boto3
    from botocore.config import Config

    options = {"s3": {"addressing_style": "path"}} if config.get("S3_ENDPOINT") else {}
    return boto3.client(
        "s3", endpoint_url=config.get("S3_ENDPOINT"), region_name=config.get("S3_REGION"),
        aws_access_key_id=config.get("S3_ACCESS_KEY_ID"), aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY"),
        config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}, **options))


def build(config: dict) -> "LocalStore | S3Store":
    """Return the store the settings name: S3 when S3_BUCKET is set, else the upload directory."""
    if config.get("S3_BUCKET"):
        return S3Store(config["S3_BUCKET"], s3_client(config), config.get("S3_PREFIX") or "")
    return LocalStore(config["UPLOAD_DIR"])


def store(app: Flask | None = None) -> "LocalStore | S3Store":
    """Return the app's store, built once per app and settings (tests may change UPLOAD_DIR)."""
    app = app or current_app._get_current_object()
    names = ("S3_BUCKET", "S3_ENDPOINT", "S3_REGION", "S3_PREFIX", "UPLOAD_DIR")
    spec = tuple(app.config.get(name) for name in names)
    cached = app.extensions.get("orderhub_store")
    if cached is None or cached[0] != spec:
        cached = (spec, build(app.config))
        app.extensions["orderhub_store"] = cached
    return cached[1]
