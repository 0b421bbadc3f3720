"""Intake fixtures: the fixture catalogue (products and aliases) in the test database, files on disk."""
import pytest

from tests.intake.cases import catalogue as fixture_catalogue


@pytest.fixture
def catalogue(app):
    """Create the fixture catalogue's products and aliases; return its data."""
    from webapp.extensions import db
    from webapp.intake.models import ItemAlias
    from webapp.orders import services

    data = fixture_catalogue()
    with app.app_context():
        for sku, name, price, cost in data["products"]:
            services.create_product(sku, name, price, cost)
        db.session.add_all(ItemAlias(alias=a, sku=s) for a, s in data["aliases"].items())
        db.session.commit()
    return data


@pytest.fixture
def seller(make_user):
    """A salesperson (orders are created with their permissions)."""
    return make_user("sales", "xiaoshou")
