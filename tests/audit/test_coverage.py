"""Every admin change to business data leaves exactly one audit entry (table over the coverage list)."""
import re

import pytest
from sqlalchemy import func, select

from tests.access.helpers import admin_client
from tests.factories import make_product
from webapp.api.models import ApiToken
from webapp.audit.models import AuditEntry
from webapp.carriers.models import Robot
from webapp.extensions import db
from webapp.webhooks.models import WebhookEndpoint

HOOK = "http://127.0.0.1:9/hooks"  # allowed below; nothing is sent while registering
ROBOT = "http://127.0.0.1:9/robot/send?access_token=t0ken"
PRODUCT = {"name": "龙井", "price": "268.00", "cost": "150.00", "active": "1"}
RULE = {"min_goods": "30000", "min_discount_share": "", "levels": "role:manager", "escalate_hours": "2",
        "active": "1"}


def _first_id(model):
    return db.session.scalar(select(func.min(model.id)))


def _webhook(client) -> None:
    client.post("/admin/webhooks", data={"url": HOOK, "events": ["order.created"], "username": "erp"})


def _robot(client) -> None:
    client.post("/admin/robots", data={"kind": "dingtalk", "url": ROBOT, "secret": "", "events": ["order.created"],
                                       "regions": ["east"], "audience_role": "warehouse", "name": "华东仓"})


def _token(client) -> None:
    client.post("/admin/tokens", data={"username": "erp", "name": "ERP"})


# (case, set-up through the app, the admin's request, the audited action)
CASES = [
    ("product added", None, lambda c, ids: c.post("/products", data={"sku": "TEA-9", **PRODUCT}), "product_created"),
    ("product price", "product", lambda c, ids: c.post("/products/TEA-1", data=PRODUCT | {"price": "288.00"}),
     "product_changed"),
    ("product cost", "product", lambda c, ids: c.post("/products/TEA-1", data=PRODUCT | {"cost": "160.00"}),
     "product_changed"),
    ("product retired", "product", lambda c, ids: c.post("/products/TEA-1", data=PRODUCT | {"active": ""}),
     "product_changed"),
    ("token created", None, lambda c, ids: _token(c), "token_created"),
    ("token revoked", "token", lambda c, ids: c.post(f"/admin/tokens/{ids['token']}/revoke"), "token_revoked"),
    ("webhook added", None, lambda c, ids: _webhook(c), "webhook_created"),
    ("webhook secret rotated", "webhook", lambda c, ids: c.post(f"/admin/webhooks/{ids['webhook']}/rotate"),
     "webhook_rotated"),
    ("webhook disabled", "webhook", lambda c, ids: c.post(f"/admin/webhooks/{ids['webhook']}/active",
                                                          data={"active": "0"}), "webhook_disabled"),
    ("robot added", None, lambda c, ids: _robot(c), "robot_added"),
    ("robot disabled", "robot", lambda c, ids: c.post(f"/admin/robots/{ids['robot']}/active", data={"active": "0"}),
     "robot_disabled"),
    ("approval rule", None, lambda c, ids: c.post("/admin/approvals/goods_50k", data=RULE), "approval_rule"),
    ("matrix cell", None, lambda c, ids: c.post("/admin/matrix/support/notes", data={"level": "read"}),
     "permission_changed"),
    ("price permission", None, lambda c, ids: c.post("/admin/matrix/manager/catalogue_price", data={"level": "hidden"}),
     "permission_changed"),
    ("role scope", None, lambda c, ids: c.post("/admin/roles/sales/scope", data={"sales-scope": "all"}),
     "scope_changed"),
    ("role copied", None, lambda c, ids: c.post("/admin/roles", data={"source": "sales", "code": "sales_lead",
                                                                      "name_zh": "销售主管"}), "role_created"),
]


def _set_up(app, client, what) -> dict:
    """Create the object a case changes, through the same pages, before counting."""
    if what == "product":
        with app.app_context():
            make_product("TEA-1", PRODUCT["price"], PRODUCT["cost"], PRODUCT["name"])
    elif what:
        {"token": _token, "webhook": _webhook, "robot": _robot}[what](client)
    with app.app_context():
        return {"token": _first_id(ApiToken), "webhook": _first_id(WebhookEndpoint), "robot": _first_id(Robot)}


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry))


@pytest.mark.parametrize("case, setup, act, action", CASES, ids=[c[0] for c in CASES])
def test_each_admin_change_leaves_exactly_one_audit_entry(app, client, login_as, make_user, case, setup, act,
                                                          action):
    app.config["OUTBOUND_ALLOW"] = "127.0.0.1:9"
    make_user("sales", username="erp")
    admin = admin_client(login_as, client)
    ids = _set_up(app, client, setup)
    before = _count(app)
    resp = act(client, ids)
    assert resp is None or resp.status_code < 400, resp.get_data(as_text=True)[:500]
    with app.app_context():
        new = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id).offset(before)))
        assert [(e.action, e.actor) for e in new] == [(action, admin.username)], case


def test_a_price_change_shows_in_the_products_history(app, client, login_as):
    admin_client(login_as, client)
    with app.app_context():
        make_product("TEA-1", "268.00", "150.00", "龙井")
    client.post("/products/TEA-1", data=PRODUCT | {"price": "288", "cost": "150"})  # cost typed without decimals
    page = client.get("/products/TEA-1").get_data(as_text=True)
    history = page[page.index('data-testid="product-history"'):]
    assert re.search(r"268\.00 → 288\.00", history) and "admin" in history
    assert "150.00 →" not in history, "an unchanged cost is not a change"


def test_saving_a_product_unchanged_writes_no_entry(app, client, login_as):
    admin_client(login_as, client)
    with app.app_context():
        make_product("TEA-1", "268.00", "150.00", "龙井")
    before = _count(app)
    assert client.post("/products/TEA-1", data=PRODUCT | {"price": "268"}).status_code == 303
    assert _count(app) == before


def test_without_catalogue_price_a_price_change_is_refused_and_nothing_changes(app, client, login_as, runner):
    runner.invoke(args=["access", "set", "manager", "catalogue_price", "hidden"])
    login_as("manager")
    with app.app_context():
        make_product("TEA-1", "268.00", "150.00", "龙井")
    before = _count(app)
    assert client.post("/products/TEA-1", data=PRODUCT | {"price": "1.00"}).status_code == 403
    assert client.post("/products", data={"sku": "TEA-2", **PRODUCT}).status_code == 403
    assert client.post("/products/TEA-1", data=PRODUCT | {"name": "龙井 250g"}).status_code == 303  # name: allowed
    with app.app_context():
        from webapp.orders.models import Product
        product = db.session.scalar(select(Product).where(Product.sku == "TEA-1"))
        assert (str(product.unit_price), product.name) == ("268.00", "龙井 250g")
    assert _count(app) == before + 1
