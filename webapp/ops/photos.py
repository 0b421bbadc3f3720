"""Photos in backups when they live in an object store (ORDERHUB_S3_BUCKET): list, stream out, put back, check.

The database is dumped first and the photos listed after, so every photo row in the dump has its
object in the archive (a photo's object is written before its row commits).
"""
from pathlib import PurePosixPath

import sqlalchemy as sa

from webapp.core.storage import S3Store, StoreError


def _visible(key: str) -> bool:
    """Say whether a key is a real file (hidden names are probes and uploads in progress)."""
    return bool(key) and not any(part.startswith(".") for part in PurePosixPath(key).parts)


def objects(store: S3Store):
    """Yield (key, opener) for every object of the store; opener() → (size, stream, mtime) or FileNotFoundError."""
    from botocore.exceptions import BotoCoreError, ClientError

    prefix = f"{store.prefix}/" if store.prefix else ""
    try:
        pages = list(store.client.get_paginator("list_objects_v2").paginate(Bucket=store.bucket, Prefix=prefix))
    except (BotoCoreError, ClientError) as exc:
        raise StoreError(f"cannot list the bucket {store.bucket}: {exc}") from exc
    for page in pages:
        for item in page.get("Contents", []):
            key = item["Key"][len(prefix):]
            if _visible(key):
                yield key, _opener(store, item["Key"])


def _opener(store: S3Store, full_key: str):
    def open_object():
        from botocore.exceptions import ClientError
        try:
            got = store.client.get_object(Bucket=store.bucket, Key=full_key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(full_key) from exc  # deleted while the backup ran
            raise StoreError(f"cannot read {full_key}: {exc}") from exc
        return got["ContentLength"], got["Body"], got["LastModified"].timestamp()
    return open_object


def putter(store):
    """Return put(key, stream) that writes one photo into the store (any kind)."""
    def put(key: str, stream) -> None:
        content_type = "image/jpeg" if key.lower().endswith((".jpg", ".jpeg")) else "application/octet-stream"
        store.put(key, stream.read(), content_type)
    return put


def referenced(engine: sa.Engine) -> set[str]:
    """Return the stored keys the database's photo rows point at (pictures and thumbnails)."""
    with engine.connect() as conn:
        if "warehouse_photos" not in sa.inspect(conn).get_table_names():
            return set()
        rows = conn.exec_driver_sql("SELECT path, thumb_path FROM warehouse_photos").all()
    return {key for row in rows for key in row if key}


def check_row(manifest: dict, engine: sa.Engine) -> tuple[str, bool, str]:
    """Report whether every photo the restored database refers to is in the archive (hashes are checked apart)."""
    members = {name[len("uploads/"):] for name in manifest.get("members", {}) if name.startswith("uploads/")}
    wanted = referenced(engine)
    missing = sorted(wanted - members)
    where = manifest.get("photo_store", "local")
    detail = f"{len(members)} files from the {where} store, {len(wanted)} referenced by the database"
    if missing:
        more = f" (and {len(missing) - 3} more)" if len(missing) > 3 else ""
        return ("photos", False, f"{detail}; missing: {', '.join(missing[:3])}{more}")
    return ("photos", True, detail)
