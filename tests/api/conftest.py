"""API fixtures: a Bearer token for a new user of a role, and a client that sends it."""
import pytest

from tests.factories import make_product
from webapp.api import tokens
from webapp.auth.models import User
from webapp.extensions import db


class Api:
    """A test client that talks JSON with a Bearer token."""

    def __init__(self, client, token: str):
        self.client, self.token = client, token

    def call(self, method: str, url: str, json=None, headers=None, **kw):
        hdrs = {"Authorization": f"Bearer {self.token}"} | (headers or {})
        return self.client.open(url, method=method, json=json, headers=hdrs, **kw)

    def get(self, url, **kw):
        return self.call("GET", url, **kw)

    def post(self, url, json=None, **kw):
        return self.call("POST", url, json=json, **kw)

    def patch(self, url, json=None, **kw):
        return self.call("PATCH", url, json=json, **kw)


@pytest.fixture
def token_for(app, make_user):
    """token_for(role_or_user, **create_kwargs) → (user, raw token)."""
    def _make(who, regions=None, username=None, **kw):
        user = make_user(who, username, regions) if isinstance(who, str) else who
        with app.app_context():
            fresh = db.session.get(User, user.id)
            _token, raw = tokens.create_token(fresh, actor=None, via="system", **kw)
            db.session.commit()
        return user, raw
    return _make


@pytest.fixture
def api_as(client, token_for):
    """api_as(role, regions=None) → (user, Api client acting with a fresh token of that user)."""
    def _make(role, regions=None, username=None, **kw):
        user, raw = token_for(role, regions, username, **kw)
        return user, Api(client, raw)
    return _make


@pytest.fixture
def catalogue(app):
    """Put CUP-500 (¥129.00, cost ¥52.30) and PEN-1 in the catalogue."""
    with app.app_context():
        make_product("CUP-500", price="129.00", cost="52.30", name="保温杯 500ml")
        make_product("PEN-1", price="5.00", cost="1.20", name="笔")


NEW_ORDER = {"customer_name": "张三华", "customer_phone": "138 0013 8000",
             "address": "浙江省杭州市西湖区文三路 90 号", "items": [{"sku": "CUP-500", "quantity": 2}]}
