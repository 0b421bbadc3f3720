"""The command line of CONTRACT.md: user create, product create, demo seed."""
from sqlalchemy import func, select

from webapp.auth.models import User
from webapp.extensions import db
from webapp.orders.models import Order, Product


def test_user_create_with_regions(app, runner):
    result = runner.invoke(args=["user", "create", "liqiang", "--role", "warehouse",
                                 "--password", "secret-pass-1", "--region", "east", "--region", "north"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "liqiang"))
        assert user.role_code == "warehouse" and user.region_codes == ["east", "north"]


def test_user_create_duplicate_fails_clearly(runner):
    args = ["user", "create", "wang", "--role", "sales", "--password", "secret-pass-1"]
    assert runner.invoke(args=args).exit_code == 0
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and "already exists" in result.output


def test_user_create_unknown_role_fails_clearly(app, runner):
    result = runner.invoke(args=["user", "create", "x", "--role", "intern", "--password", "secret-pass-1"])
    assert result.exit_code != 0 and "unknown role" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_product_create_and_refusals(app, runner):
    ok = runner.invoke(args=["product", "create", "cup-1", "--name", "保温杯", "--price", "129.90", "--cost", "52.3"])
    assert ok.exit_code == 0, ok.output
    dup = runner.invoke(args=["product", "create", "CUP-1", "--name", "x", "--price", "1", "--cost", "1"])
    assert dup.exit_code != 0 and "already exists" in dup.output
    bad = runner.invoke(args=["product", "create", "CUP-2", "--name", "x", "--price", "1.999", "--cost", "1"])
    assert bad.exit_code != 0 and "invalid" in bad.output
    with app.app_context():
        assert [(p.sku, str(p.unit_price)) for p in db.session.scalars(select(Product))] == [("CUP-1", "129.90")]


def test_demo_seed_is_idempotent(app, runner):
    first = runner.invoke(args=["demo", "seed", "--orders", "60"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo", "seed", "--orders", "60"])
    assert "0 users, 0 products, 0 orders" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 60
        roles = set(db.session.scalars(select(User.role_code)))
        states = set(db.session.scalars(select(Order.status)))
    assert roles == {"admin", "manager", "sales", "warehouse", "finance", "support"}
    assert len(states) >= 6
