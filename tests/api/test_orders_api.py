"""Orders through the API: create (idempotent on key and on channel + external_id), read with ETags,
stale writes, row scope as 404, cursor paging stable under inserts, the audit log naming the token."""
from sqlalchemy import func, select

from tests.api.conftest import NEW_ORDER
from tests.factories import make_order
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.orders.models import Order


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Order))


def test_same_idempotency_key_replays_the_first_response_and_creates_one_order(app, api_as, catalogue):
    _user, api = api_as("sales")
    key = {"Idempotency-Key": "erp-order-0001"}
    first = api.post("/api/v1/orders", json=NEW_ORDER, headers=key)
    again = api.post("/api/v1/orders", json=NEW_ORDER, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.headers["Idempotent-Replayed"] == "true"
    assert _count(app) == 1


def test_same_idempotency_key_with_another_body_is_422_and_changes_nothing(app, api_as, catalogue):
    _user, api = api_as("sales")
    key = {"Idempotency-Key": "erp-order-0002"}
    assert api.post("/api/v1/orders", json=NEW_ORDER, headers=key).status_code == 201
    other = NEW_ORDER | {"items": [{"sku": "PEN-1", "quantity": 9}]}
    resp = api.post("/api/v1/orders", json=other, headers=key)
    assert resp.status_code == 422 and resp.get_json()["error"] == "idempotency_key_reused"
    assert _count(app) == 1


def test_same_channel_and_external_id_returns_the_existing_order(app, api_as, catalogue):
    _user, api = api_as("sales")  # sales may not write external_id later, but may set it at creation
    body = NEW_ORDER | {"channel": "shop", "external_id": "TB-777"}
    first = api.post("/api/v1/orders", json=body)
    again = api.post("/api/v1/orders", json=body | {"notes": "sent twice"})
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["order_no"] == first.get_json()["order_no"] and _count(app) == 1
    assert first.get_json()["external_id"] == "TB-777"


def test_an_external_id_held_by_an_order_out_of_scope_is_a_conflict_not_a_leak(app, api_as, catalogue):
    with app.app_context():
        make_order(channel="shop", external_id="TB-9")
    _user, api = api_as("sales")
    resp = api.post("/api/v1/orders", json=NEW_ORDER | {"channel": "shop", "external_id": "TB-9"})
    assert resp.status_code == 409 and resp.get_json()["fields"] == ["external_id"]
    assert "SO" not in resp.get_json()["detail"]


def test_etag_is_the_version_and_if_none_match_gives_304(app, api_as):
    _user, api = api_as("manager")
    with app.app_context():
        order_no = make_order().order_no
    resp = api.get(f"/api/v1/orders/{order_no}")
    assert resp.status_code == 200 and resp.headers["ETag"] == '"1"'
    cached = api.get(f"/api/v1/orders/{order_no}", headers={"If-None-Match": '"1"'})
    assert cached.status_code == 304 and cached.data == b""
    api.patch(f"/api/v1/orders/{order_no}", json={"notes": "changed"})
    assert api.get(f"/api/v1/orders/{order_no}", headers={"If-None-Match": '"1"'}).status_code == 200


def test_stale_if_match_or_version_is_409_and_nothing_changes(app, api_as):
    _user, api = api_as("manager")
    with app.app_context():
        order_no = make_order().order_no
    assert api.patch(f"/api/v1/orders/{order_no}", json={"notes": "a"}, headers={"If-Match": '"1"'}).status_code == 200
    stale = api.patch(f"/api/v1/orders/{order_no}", json={"notes": "b"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 409 and stale.mimetype == "application/problem+json"
    assert api.patch(f"/api/v1/orders/{order_no}", json={"notes": "b", "version": 1}).status_code == 409
    assert api.get(f"/api/v1/orders/{order_no}").get_json()["notes"] == "a"
    junk = api.patch(f"/api/v1/orders/{order_no}", json={"notes": "c"}, headers={"If-Match": "banana"})
    assert junk.status_code == 400 and junk.get_json()["fields"] == ["If-Match"]


def test_another_salespersons_order_is_404_everywhere(app, api_as, make_user):
    other = make_user("sales")
    with app.app_context():
        order_no = make_order(salesperson=other).order_no
    _user, api = api_as("sales")
    for resp in (api.get(f"/api/v1/orders/{order_no}"), api.get(f"/api/v1/orders/{order_no}/history"),
                 api.patch(f"/api/v1/orders/{order_no}", json={"notes": "x"}),
                 api.post(f"/api/v1/orders/{order_no}/transitions", json={"to": "confirmed"})):
        assert resp.status_code == 404 and resp.get_json()["error"] == "not_found"
    assert api.get("/api/v1/orders").get_json()["data"] == []
    assert api.get("/api/v1/customers?phone=13800138000").get_json()["data"] == []


def test_cursor_paging_is_stable_under_inserts(app, api_as):
    with app.app_context():
        made = [make_order().order_no for _ in range(7)]
    _user, api = api_as("manager")
    seen, url = [], "/api/v1/orders?limit=3"
    while url:
        page = api.get(url).get_json()
        seen += [o["order_no"] for o in page["data"]]
        with app.app_context():
            make_order()  # inserted while paging: comes after everything already listed
        url = page["next_cursor"] and f"/api/v1/orders?limit=3&cursor={page['next_cursor']}"
    assert seen[:7] == made and len(seen) == len(set(seen))
    bad = api.get("/api/v1/orders?cursor=not-a-cursor")
    assert bad.status_code == 400 and bad.get_json()["fields"] == ["cursor"]


def test_list_filters(app, api_as):
    with app.app_context():
        make_order(status="confirmed")
        shop = make_order(channel="shop").order_no
        north = make_order(address="北京市朝阳区建国路 1 号").order_no
    _user, api = api_as("manager")
    def nos(query):
        return [o["order_no"] for o in api.get(f"/api/v1/orders?{query}").get_json()["data"]]
    assert nos("channel=shop") == [shop] and nos("region=north") == [north]
    assert len(nos("status=confirmed")) == 1 and nos(f"q={north}") == [north]
    assert len(nos("updated_since=2000-01-01T00:00:00%2B00:00")) == 3 and nos("updated_since=2999-01-01T00:00:00Z") == []
    assert api.get("/api/v1/orders?limit=500").status_code == 422


def test_transition_and_audit_name_the_api_and_the_token(app, api_as, catalogue):
    _user, api = api_as("sales")
    order_no = api.post("/api/v1/orders", json=NEW_ORDER).get_json()["order_no"]
    assert api.patch(f"/api/v1/orders/{order_no}", json={"notes": "请加急"}).status_code == 200
    resp = api.post(f"/api/v1/orders/{order_no}/transitions", json={"to": "confirmed"})
    assert resp.status_code == 200 and resp.get_json()["status"] == "confirmed"
    assert api.post(f"/api/v1/orders/{order_no}/transitions", json={"to": "completed"}).status_code == 422
    with app.app_context():
        log = db.session.scalars(select(AuditEntry).where(AuditEntry.order_no == order_no)).all()
        assert {e.action for e in log} >= {"create", "update", "transition", "refused_write"}
        assert all(e.via == "api" and e.detail.startswith(f"token={api.token[:12]}") for e in log)
    history = api.get(f"/api/v1/orders/{order_no}/history").get_json()["data"]
    assert [h["action"] for h in history][:3] == ["create", "update", "transition"]


def test_history_leaves_out_fields_the_caller_may_not_read(app, api_as):
    with app.app_context():
        order_no = make_order(status="confirmed").order_no
    _manager, manager = api_as("manager")
    manager.patch(f"/api/v1/orders/{order_no}", json={"shipping_fee": "12.00", "notes": "n"})
    _wh, warehouse = api_as("warehouse")
    texts = [h["text"] for h in warehouse.get(f"/api/v1/orders/{order_no}/history").get_json()["data"]]
    assert texts and not any("12.00" in t for t in texts)
    assert "cost_total" not in warehouse.get(f"/api/v1/orders/{order_no}").get_json()
