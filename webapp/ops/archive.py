"""The backup archive: one tar holding the database dump, the photos and a signed manifest.json.

Members are `db/orderhub.sqlite` or `db/orderhub.pgdump`, `uploads/<relative path or object key>` and, last,
`manifest.json` (app version, Alembic revision, database kind, row counts, creation time, the
sha256 of every other member and an HMAC of all that keyed with SECRET_KEY). Reading checks every
hash, the member list and the signature before anything is extracted.
"""
import hashlib
import hmac
import io
import json
import os
import tarfile
from pathlib import Path, PurePosixPath

FORMAT = 1
MANIFEST = "manifest.json"
DB_MEMBERS = {"sqlite": "db/orderhub.sqlite", "postgresql": "db/orderhub.pgdump"}
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive is unreadable, tampered with, or does not fit this installation."""


class _HashingReader:
    """Read a file object while hashing what passes through."""

    def __init__(self, fh):
        """Wrap fh."""
        self.fh, self.sha = fh, hashlib.sha256()

    def read(self, size=-1):
        """Read and hash up to size bytes."""
        data = self.fh.read(size)
        self.sha.update(data)
        return data


def _signature(manifest: dict, key: bytes) -> str:
    """Return the HMAC-SHA256 of the manifest's content (without its signature)."""
    body = {k: v for k, v in manifest.items() if k != "signature"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def signing_key(secret_key: str) -> bytes:
    """Derive the manifest signing key from the app's SECRET_KEY."""
    return hmac.new(secret_key.encode(), b"orderhub-backup-manifest", hashlib.sha256).digest()


def _add_file(tar: tarfile.TarFile, src: Path, name: str) -> str:
    """Add one file under name; return its sha256."""
    with open(src, "rb") as fh:
        info = tar.gettarinfo(fileobj=fh, arcname=name)
        info.mode, info.uid, info.gid, info.uname, info.gname = 0o644, 0, 0, "", ""
        reader = _HashingReader(fh)
        tar.addfile(info, reader)
    return reader.sha.hexdigest()


def _add_stream(tar: tarfile.TarFile, stream, size: int, name: str, mtime: float) -> str:
    """Add `size` bytes read from a stream (an object store's body) under name; return their sha256."""
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o644, int(mtime)
    reader = _HashingReader(stream)
    tar.addfile(info, reader)
    return reader.sha.hexdigest()


def _upload_files(uploads: Path):
    """Yield (path, member name) for every regular file under the upload directory."""
    if not uploads.is_dir():
        return
    for path in sorted(uploads.rglob("*")):
        rel = path.relative_to(uploads)
        # Hidden names are work in progress: .part- files, store probes, a backup being written in here.
        if path.is_file() and not path.is_symlink() and not any(p.startswith(".") for p in rel.parts):
            yield path, "uploads/" + rel.as_posix()


def write(path: Path, db_file: Path, kind: str, uploads: Path | None, facts: dict, key: bytes,
          objects=()) -> dict:
    """Write the archive at path (atomically: a .partial file renamed at the end); return its manifest.

    Photos come from the upload directory, or from `objects`: (key, opener) pairs where opener() returns
    (size, stream, mtime) of one stored object (streamed into the archive, never held whole in memory).
    """
    partial = path.with_name(path.name + ".partial")
    try:
        manifest = _write(partial, db_file, kind, uploads, facts, key, objects)
    except BaseException:
        partial.unlink(missing_ok=True)  # a store or disk failing half-way leaves no half archive behind
        raise
    os.replace(partial, path)
    return manifest


def _write(partial: Path, db_file: Path, kind: str, uploads: Path | None, facts: dict, key: bytes, objects) -> dict:
    """Write the members and the signed manifest into the partial file; return the manifest."""
    gz = partial.name.endswith((".gz.partial", ".tgz.partial"))
    members = {}
    with tarfile.open(partial, "w:gz" if gz else "w", **({"compresslevel": 1} if gz else {})) as tar:
        members[DB_MEMBERS[kind]] = _add_file(tar, db_file, DB_MEMBERS[kind])
        for src, name in _upload_files(uploads) if uploads else ():
            try:
                members[name] = _add_file(tar, src, name)
            except FileNotFoundError:
                continue  # a photo deleted while the backup ran
        for object_key, opener in objects:
            try:
                size, stream, mtime = opener()
            except FileNotFoundError:
                continue
            name = "uploads/" + object_key
            try:
                members[name] = _add_stream(tar, stream, size, name, mtime)
            finally:
                stream.close()
        manifest = {"format": FORMAT, **facts, "db_kind": kind, "members": members}
        manifest["signature"] = _signature(manifest, key)
        data = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode, info.mtime = len(data), 0o644, int(os.path.getmtime(db_file))
        tar.addfile(info, io.BytesIO(data))
    return manifest


def _safe_name(name: str) -> bool:
    """Say whether a member name is one this format writes (no absolute paths, no `..`)."""
    parts = PurePosixPath(name).parts
    if name in (MANIFEST, *DB_MEMBERS.values()):
        return True
    return (len(parts) >= 2 and parts[0] == "uploads" and "\\" not in name
            and not any(p in ("..", ".", "") for p in parts) and not name.startswith("/"))


def _open(path: Path) -> tarfile.TarFile:
    """Open an archive for reading, or raise ArchiveError."""
    try:
        return tarfile.open(path, "r:*")
    except (OSError, tarfile.TarError) as exc:
        raise ArchiveError(f"{path}: not a readable backup archive ({exc})") from exc


def check(path: Path, key: bytes, trust_unsigned: bool = False) -> dict:
    """Read the whole archive; return its manifest if every hash, member and the signature match."""
    seen, manifest = {}, None
    with _open(path) as tar:
        try:
            for info in tar:
                if not info.isfile() or not _safe_name(info.name) or info.name in seen:
                    raise ArchiveError(f"{path}: unexpected member {info.name!r}: refusing the archive")
                fh = tar.extractfile(info)
                if info.name == MANIFEST:
                    manifest = _parse_manifest(path, fh.read())
                    seen[info.name] = ""
                    continue
                sha = hashlib.sha256()
                for block in iter(lambda: fh.read(CHUNK), b""):
                    sha.update(block)
                seen[info.name] = sha.hexdigest()
        except (OSError, EOFError, tarfile.TarError) as exc:
            raise ArchiveError(f"{path}: the archive is truncated or corrupt ({exc})") from exc
    if manifest is None:
        raise ArchiveError(f"{path}: no manifest.json: not an OrderHub backup")
    _compare(path, manifest, seen, key, trust_unsigned)
    return manifest


def _parse_manifest(path: Path, data: bytes) -> dict:
    """Parse manifest.json and check its format version."""
    try:
        manifest = json.loads(data)
    except ValueError as exc:
        raise ArchiveError(f"{path}: manifest.json is not valid JSON") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"{path}: unknown archive format {manifest.get('format')!r} (this code reads {FORMAT})"
                           if isinstance(manifest, dict) else f"{path}: manifest.json is not an object")
    return manifest


def _compare(path: Path, manifest: dict, seen: dict, key: bytes, trust_unsigned: bool) -> None:
    """Raise ArchiveError naming the first difference between the manifest and the members read."""
    listed = manifest.get("members") or {}
    kind = manifest.get("db_kind")
    if kind not in DB_MEMBERS or DB_MEMBERS[kind] not in listed:
        raise ArchiveError(f"{path}: the manifest names no database dump")
    for name, sha in listed.items():
        if name not in seen:
            raise ArchiveError(f"{path}: member {name} listed in the manifest is missing")
        if not hmac.compare_digest(str(sha), seen[name]):
            raise ArchiveError(f"{path}: member {name} does not match its sha256 in the manifest (corrupt or altered)")
    extra = sorted(set(seen) - set(listed) - {MANIFEST})
    if extra:
        raise ArchiveError(f"{path}: member {extra[0]} is not listed in the manifest")
    if not trust_unsigned and not hmac.compare_digest(str(manifest.get("signature", "")),
                                                      _signature(manifest, key)):
        raise ArchiveError(f"{path}: the manifest's signature does not match this installation's SECRET_KEY "
                           "(altered, or made with another key: --trust-unsigned accepts it)")


def extract(path: Path, manifest: dict, db_dest: Path | None, uploads_dest: Path | None, put=None) -> int:
    """Extract the database dump to db_dest and the photos under uploads_dest (or hand each to
    put(key, stream), an object store); return photos written."""
    db_name, photos = DB_MEMBERS[manifest["db_kind"]], 0
    with _open(path) as tar:
        for info in tar:
            if info.name not in manifest["members"] or not info.isfile():
                continue
            if info.name == db_name and db_dest is not None:
                target = db_dest
            elif info.name.startswith("uploads/") and put is not None:
                with tar.extractfile(info) as src:
                    put("/".join(PurePosixPath(info.name).parts[1:]), src)
                photos += 1
                continue
            elif info.name.startswith("uploads/") and uploads_dest is not None:
                target = uploads_dest.joinpath(*PurePosixPath(info.name).parts[1:])
                photos += 1
            else:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(info) as src, open(target, "wb") as out:
                for block in iter(lambda: src.read(CHUNK), b""):
                    out.write(block)
    return photos
