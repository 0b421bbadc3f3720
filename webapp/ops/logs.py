"""One log line per request (JSON by default, text in debug) carrying a request id echoed as X-Request-ID.

A client's X-Request-ID is kept only when well-formed (8–128 of letters, digits and `._:-`), else a
fresh one is made, so ids can be followed across a proxy and the app without letting clients forge
log structure.
"""
import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, g, request

from webapp.ops.metrics import route_of

REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
log = logging.getLogger("orderhub.request")


class _StderrHandler(logging.StreamHandler):
    """Write to whatever sys.stderr is at the time (test capture, a redirected stream)."""

    @property
    def stream(self):
        """Return the current standard error."""
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        """Ignore: the stream is always the current sys.stderr."""
        pass


class JsonFormatter(logging.Formatter):
    """Render a record as one JSON object: time, level, message and the record's `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a JSON line."""
        body = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "msg": record.getMessage()}
        body.update(getattr(record, "fields", {}))
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


class TextFormatter(logging.Formatter):
    """Render a request record as `METHOD route status ms user rid`."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as one readable line."""
        f = getattr(record, "fields", {})
        return (f"{f.get('method')} {f.get('route')} {f.get('status')} {f.get('ms')}ms "
                f"user={f.get('user_id')} rid={f.get('request_id')}")


def request_id() -> str:
    """Return this request's id (the client's when well-formed, else a new one)."""
    rid = g.get("request_id")
    if rid is None:
        given = request.headers.get("X-Request-ID", "")
        rid = g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    return rid


def begin() -> None:
    """Fix the request id and the start time."""
    request_id()
    g.log_started = time.perf_counter()


def finish(response):
    """Echo the request id and write the request's log line."""
    response.headers["X-Request-ID"] = request_id()
    started = g.pop("log_started", None)
    if started is not None and log.isEnabledFor(logging.INFO):
        user = g.get("_login_user")  # only when the request loaded it: no extra query here
        fields = {"method": request.method, "route": route_of(), "status": response.status_code,
                  "ms": round((time.perf_counter() - started) * 1000, 1),
                  "user_id": getattr(user, "id", None), "request_id": g.request_id}
        log.info("request", extra={"fields": fields})
    return response


def configure(app: Flask) -> None:
    """Set the request log's format: ORDERHUB_LOG_FORMAT json | text | off (unset: off in tests, text in
    debug, json otherwise)."""
    fmt = app.config.get("LOG_FORMAT") or ("off" if app.testing else "text" if app.debug else "json")
    for handler in [h for h in log.handlers if isinstance(h, _StderrHandler)]:
        log.removeHandler(handler)
    log.propagate = False
    log.disabled = False  # logging.config.fileConfig (Alembic's env.py) disables loggers it does not name
    if fmt == "off":
        log.setLevel(logging.WARNING)
        return
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    log.addHandler(handler)
    log.setLevel(logging.INFO)
