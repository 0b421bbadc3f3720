"""POST /orders/<no>/edit: any subset of fields + version; 403 names unwritable fields, 409 on stale."""
import pytest
from sqlalchemy import select

from tests.factories import make_order
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.orders.models import Order


def _order(app, salesperson, **kw):
    with app.app_context():
        return make_order(salesperson=salesperson, **kw).order_no


def _state(app, order_no):
    with app.app_context():
        o = db.session.scalar(select(Order).where(Order.order_no == order_no))
        return {"version": o.version, "notes": o.notes, "address": o.address, "region": o.region,
                "discount": o.discount, "total": o.total_amount, "lines": [(ln.sku, ln.quantity) for ln in o.lines]}


def _audit(app, action=None):
    with app.app_context():
        stmt = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        return [(e.action, e.field, e.old, e.new, e.via) for e in db.session.scalars(stmt)]


def test_sales_edits_address_and_region_follows(app, client, login_as):
    user = login_as("sales")
    no = _order(app, user)
    resp = client.post(f"/orders/{no}/edit", data={"address": "北京市海淀区中关村大街 1 号", "version": "1"})
    assert resp.status_code == 303
    state = _state(app, no)
    assert (state["version"], state["region"]) == (2, "north")
    assert ("update", "address", "浙江省杭州市西湖区文三路 90 号", "北京市海淀区中关村大街 1 号", "web") in _audit(app)
    assert ("update", "region", "east", "north", "web") in _audit(app)


@pytest.mark.parametrize("role, field, value", [
    ("sales", "total_amount", "1.00"), ("sales", "profit", "0"), ("sales", "region", "north"),
    ("sales", "carrier", "顺丰"), ("warehouse", "discount", "5"), ("warehouse", "address", "上海市"),
    ("finance", "notes", "x"), ("support", "customer_phone", "13900139000"), ("admin", "status", "completed"),
])
def test_unwritable_field_is_403_naming_it_and_nothing_changes(app, client, login_as, make_user, role, field, value):
    user = login_as(role)
    no = _order(app, user if role == "sales" else make_user("sales"), status="confirmed")
    before = _state(app, no)
    resp = client.post(f"/orders/{no}/edit", data={field: value, "notes": "ok", "version": "1"},
                       headers={"Accept": "application/json"})
    assert resp.status_code == 403
    assert field in resp.get_json()["fields"]
    assert _state(app, no) == before
    refused = _audit(app, "refused_write")
    assert len(refused) == 1 and field in refused[0][1]


def test_stale_version_is_409_and_nothing_changes(app, client, login_as):
    user = login_as("sales")
    no = _order(app, user)
    assert client.post(f"/orders/{no}/edit", data={"notes": "first", "version": "1"}).status_code == 303
    resp = client.post(f"/orders/{no}/edit", data={"notes": "second", "version": "1"})
    assert resp.status_code == 409
    assert "first" == _state(app, no)["notes"]
    page = resp.get_data(as_text=True)
    assert user.username in page or user.name in page


def test_lines_change_is_priced_from_catalogue_and_audited(app, client, login_as):
    from tests.factories import make_product
    user = login_as("sales")
    with app.app_context():
        make_product("CUP-BRUSH", "19.90", "6.10", "杯刷")
    no = _order(app, user)
    resp = client.post(f"/orders/{no}/edit", data={
        "version": "1", "items-0-sku": "CUP-500", "items-0-quantity": "3",
        "items-1-sku": "CUP-BRUSH", "items-1-quantity": "1", "items-1-unit_price": "0.01"})
    assert resp.status_code == 303
    state = _state(app, no)
    assert state["lines"] == [("CUP-500", 3), ("CUP-BRUSH", 1)]
    assert str(state["total"]) == "406.90"  # 3 × 129.00 sold-at price + 19.90 from the catalogue
    actions = [a[0] for a in _audit(app)]
    assert "line_changed" in actions and "line_added" in actions


def test_discount_larger_than_goods_is_refused_on_edit(app, client, login_as):
    user = login_as("sales")
    no = _order(app, user)
    before = _state(app, no)
    resp = client.post(f"/orders/{no}/edit", data={"discount": "258.01", "version": "1"})
    assert resp.status_code == 422 and _state(app, no) == before


def test_locked_after_confirm_for_sales(app, client, login_as):
    user = login_as("sales")
    no = _order(app, user, status="confirmed")
    resp = client.post(f"/orders/{no}/edit", data={"discount": "1", "version": "1"}, headers={"Accept": "application/json"})
    assert resp.status_code == 403 and resp.get_json()["fields"] == ["discount"]


def test_other_salespersons_order_is_404(app, client, login_as, make_user):
    login_as("sales")
    no = _order(app, make_user("sales"))
    assert client.post(f"/orders/{no}/edit", data={"notes": "x", "version": "1"}).status_code == 404
    assert client.get(f"/orders/{no}").status_code == 404


def test_edit_form_shows_only_writable_fields(app, client, login_as, make_user):
    login_as("warehouse")
    no = _order(app, make_user("sales"), status="confirmed")
    page = client.get(f"/orders/{no}/edit").get_data(as_text=True)
    assert 'name="carrier"' in page and 'name="notes"' in page
    assert 'name="address"' not in page and 'name="discount"' not in page


def test_duplicate_external_id_is_a_field_error_not_a_crash(app, client, login_as):
    from tests.factories import make_order
    login_as("admin")
    with app.app_context():
        make_order(channel="shop", external_id="TB-1")
        other = make_order(channel="shop").order_no
    resp = client.post(f"/orders/{other}/edit", data={"external_id": "TB-1"},
                       headers={"Accept": "application/json"})
    assert resp.status_code == 422
    body = resp.get_json()
    assert body["fields"] == ["external_id"]
    with app.app_context():
        from webapp.orders.models import Order
        from webapp.extensions import db
        assert db.session.scalar(db.select(Order.external_id).where(Order.order_no == other)) is None
