"""Fixtures for the orders tests: an app context, a small catalogue and one user per role."""
import pytest

from tests.factories import make_product, make_user
from webapp.extensions import db

ROLES = ("admin", "manager", "sales", "warehouse", "finance", "support")


@pytest.fixture
def ctx(app):
    """Run the test inside an app context (services need one)."""
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def catalogue(ctx):
    """Three products: a cup, a brush and a TV (for large orders)."""
    return {p.sku: p for p in (make_product("CUP-500", "129.00", "52.30", "保温杯 500ml"),
                               make_product("CUP-BRUSH", "19.90", "6.10", "杯刷"),
                               make_product("TV-55", "3299.00", "2650.00", "55 寸电视"))}


@pytest.fixture
def users(ctx):
    """One user per role (warehouse in region east)."""
    return {role: make_user(role) for role in ROLES}
