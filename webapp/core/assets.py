"""Bytes on the wire: compressed responses, and static files under content-hashed names.

Dynamic responses (HTML, JSON, JS, CSS, SVG…) are compressed by Flask-Compress: brotli when the
client accepts it, else gzip, else sent as they are. Static files are copied once into a build
folder (STATIC_BUILD_DIR) both under their own name and under a content-hashed one
(`js/scan.<hash>.js`), each with precompressed .br and .gz beside it, and WhiteNoise serves that
folder in front of the app: hashed URLs are cached for a year as immutable, plain ones revalidate.
url_for("static", filename=…) returns the hashed URL, so pages and the service worker's precache
follow a changed file by themselves. In debug mode Flask serves static/ as it is, unhashed.
Each build keeps its own hashed copies, the previous build's and those of any build seen within the
hour; older ones are deleted (prune), so the folder does not grow with every deploy.
"""
import gzip
import hashlib
import json
import os
import re
import time
from pathlib import Path

import brotli
from flask import Flask
from flask_compress import Compress
from whitenoise import WhiteNoise

HASH_LENGTH = 10
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
COMPRESSIBLE = frozenset({".js", ".css", ".svg", ".json", ".html", ".txt", ".map", ".webmanifest"})
COMPRESS_SETTINGS = {
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_BR_LEVEL": 4,         # per response: fast, still ~15% smaller than gzip
    "COMPRESS_LEVEL": 6,
    "COMPRESS_MIN_SIZE": 500,
    "COMPRESS_STREAMS": False,      # streamed exports and event streams go out as they are produced
    "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
                           "application/json", "application/manifest+json", "image/svg+xml", "text/csv"],
}
# Builds whose hashed copies stay in the build folder: this one and the one before, so that pages opened
# before a deploy (and workers still running the old code) keep loading theirs; older copies are deleted.
KEEP_GENERATIONS = 2
GRACE_SECONDS = 3600
GENERATIONS_FILE = ".generations.json"
HASHED = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}(\.[^./]+)?(\.br|\.gz)?$")
compress = Compress()
_manifests: dict[tuple, dict[str, str]] = {}
_served: dict[tuple, dict] = {}  # WhiteNoise's file table per build folder, prefix and manifest, scanned once


def hashed_name(name: str, data: bytes) -> str:
    """Return `name` with a hash of `data` before its extension: js/scan.js -> js/scan.0123456789.js."""
    stem, dot, ext = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    return f"{stem}.{digest}.{ext}" if dot and "/" not in ext else f"{name}.{digest}"


def _write(path: Path, data: bytes) -> None:
    """Write a file atomically (other workers may build the same folder at the same moment)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _variants(data: bytes) -> dict[str, bytes]:
    """Return the precompressed copies of a file at the strongest settings (done once per content)."""
    return {".br": brotli.compress(data, quality=11), ".gz": gzip.compress(data, compresslevel=9, mtime=0)}


def _publish(out: Path, name: str, hashed: str, data: bytes) -> None:
    """Put a file into the build folder under both names, with its compressed copies."""
    target = out / hashed
    compressible = target.suffix in COMPRESSIBLE
    if not target.exists():  # hashed names are content-addressed: present means up to date
        if compressible:
            for suffix, packed in _variants(data).items():
                _write(out / (hashed + suffix), packed)
        _write(target, data)
    plain = out / name
    if not plain.exists() or plain.read_bytes() != data:
        if compressible:
            for suffix in (".br", ".gz"):
                _write(out / (name + suffix), (out / (hashed + suffix)).read_bytes())
        _write(plain, data)


def build(static: Path, out: Path) -> dict[str, str]:
    """Fill the build folder from static/ and return the manifest {name: hashed name}."""
    files = sorted(p for p in static.rglob("*") if p.is_file() and not p.name.startswith("."))
    key = (str(static), str(out), tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))
    if key in _manifests:
        return _manifests[key]
    manifest = {}
    for path in files:
        name = path.relative_to(static).as_posix()
        data = path.read_bytes()
        manifest[name] = hashed_name(name, data)
        _publish(out, name, manifest[name], data)
    prune(out, manifest)
    _manifests[key] = manifest
    return manifest


def _generations(out: Path, manifest: dict[str, str], now: float) -> list[dict]:
    """Record this build as the newest generation (seen now); return the generations still kept."""
    record = out / GENERATIONS_FILE
    try:
        generations = [g for g in json.loads(record.read_text()) if isinstance(g, dict) and "names" in g]
    except (OSError, ValueError, TypeError):
        generations = []
    current = sorted(set(manifest.values()))
    generations = [g for g in generations if g["names"] != current] + [{"names": current, "seen": now}]
    kept = [g for i, g in enumerate(generations)
            if i >= len(generations) - KEEP_GENERATIONS or g.get("seen", 0) >= now - GRACE_SECONDS]
    _write(record, json.dumps(kept).encode())
    return kept


def prune(out: Path, manifest: dict[str, str], now: float | None = None) -> list[str]:
    """Delete hashed copies (and their .br/.gz) of builds older than the previous one; return their names.

    A build seen within GRACE_SECONDS is kept too: servers started from it may still be running (a
    rolling deploy; several test servers on one checkout while its files are being edited).
    """
    now = time.time() if now is None else now
    keep = set(manifest).union(*(set(g["names"]) for g in _generations(out, manifest, now)))
    gone = []
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if not path.is_file() or path.name.startswith(".") or not HASHED.search(name):
            continue  # plain names are overwritten in place; dot files are the record and other workers' temp files
        if name.removesuffix(".br").removesuffix(".gz") not in keep:
            path.unlink(missing_ok=True)
            gone.append(name)
    return gone


def init_app(app: Flask) -> None:
    """Compress dynamic responses; serve static files hashed, precompressed and long-cached."""
    for name, value in COMPRESS_SETTINGS.items():
        app.config.setdefault(name, value)
    compress.init_app(app)
    if app.debug or not app.static_folder:
        return
    manifest = build(Path(app.static_folder), Path(app.config["STATIC_BUILD_DIR"]))
    hashed = {value: name for name, value in manifest.items()}
    prefix = app.static_url_path.rstrip("/") + "/"

    @app.url_defaults
    def _hashed_static(endpoint, values):
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    def _headers(headers, path, url):
        headers["Cache-Control"] = IMMUTABLE if url[len(prefix):] in hashed else REVALIDATE
        headers["X-Content-Type-Options"] = "nosniff"

    server = WhiteNoise(app.wsgi_app, max_age=0, add_headers_function=_headers)
    key = (app.config["STATIC_BUILD_DIR"], prefix, tuple(sorted(manifest.items())))
    if key not in _served:  # another app of this process (tests build thousands) already scanned the same files
        server.add_files(app.config["STATIC_BUILD_DIR"], prefix=prefix)
        _served[key] = server.files
    server.files = _served[key]
    app.wsgi_app = server
