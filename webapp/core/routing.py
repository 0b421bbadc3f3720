"""URL converters and request input the database cannot hold: bounded path integers, no NUL characters.

Both would reach the database and fail there (SQLite/psycopg integer overflow; PostgreSQL text cannot
contain 0x00), which is a 500; here they are a 404 or a 400 before any view runs.
"""
from flask import request
from werkzeug.routing import IntegerConverter

from webapp.core.errors import AppError

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER; a larger id cannot exist
NUL = "\x00"


class BoundedIntegerConverter(IntegerConverter):
    """`<int:…>` that does not match numbers beyond MAX_ID, so they are a plain 404, never a 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def refuse_nul() -> None:
    """Answer 400 when the path, query, form fields or JSON body carry a NUL character (files may)."""
    texts = [request.path, *request.args.keys(), *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        texts += [*request.form.keys(), *request.form.values()]
    if NUL in "".join(texts) or (request.is_json and b"\\u0000" in request.get_data(cache=True)):
        raise AppError(400, code="invalid")  # the generic "bad request" message, translated


def init_app(app) -> None:
    """Use the bounded converter for every `<int:…>` route registered after this; refuse NUL input."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(refuse_nul)
