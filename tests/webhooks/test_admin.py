"""Admin pages and the CLI: admins only with step-up, secret shown once, rotate, test event, redeliver, bad URLs."""
import pytest
from sqlalchemy import func, select

from tests.access.helpers import HTMX, admin_client
from tests.factories import make_order
from tests.webhooks.helpers import drain
from tests.webhooks.receiver import verified
from webapp.extensions import db
from webapp.webhooks.models import WebhookDelivery, WebhookEndpoint


def _register(client, url, events=("order.created",), username="erp"):
    return client.post("/admin/webhooks", data={"url": url, "events": list(events), "username": username})


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(WebhookEndpoint.id)))


def _secret(page: str) -> str:
    return page.split('<code id="webhook-secret">')[1].split("<")[0]


@pytest.mark.parametrize("role", ["manager", "sales", "warehouse", "finance", "support"])
def test_only_admins_open_the_webhook_pages(client, login_as, role):
    login_as(role)
    assert client.get("/admin/webhooks").status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get("/admin/webhooks").status_code in (302, 401)


def test_registering_needs_a_second_verification(app, client, login_as, make_user, receiver):
    make_user("manager", "erp")
    admin_client(login_as, client, stepped_up=False)
    assert _register(client, receiver.url).status_code == 401
    assert _count(app) == 0


def test_admin_registers_an_endpoint_and_sees_the_secret_once(app, client, login_as, make_user, receiver):
    make_user("manager", "erp")
    admin_client(login_as, client)
    resp = _register(client, receiver.url, ("order.created", "order.shipped"))
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    secret = _secret(resp.get_data(as_text=True))
    assert secret.startswith("whsec_")
    listing = client.get("/admin/webhooks").get_data(as_text=True)
    assert receiver.url in listing and secret not in listing
    eid = _ids(app)[0]
    assert secret not in client.get(f"/admin/webhooks/{eid}").get_data(as_text=True)
    with app.app_context():
        make_order()
        drain()
    [request] = receiver.received
    assert verified(secret, request["headers"], request["body"])


def _ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(WebhookEndpoint.id).order_by(WebhookEndpoint.id)))


@pytest.mark.parametrize("url", ["ftp://example.com/x", "javascript:alert(1)", "http://orderhub.test/hooks",
                                 "http://10.0.0.8/hooks", "http://169.254.169.254/latest", "http://user:pw@127.0.0.1/"])
def test_bad_urls_are_refused_with_a_reason_and_nothing_stored(app, client, login_as, make_user, url):
    make_user("manager", "erp")
    admin_client(login_as, client)
    resp = _register(client, url)
    assert resp.status_code == 422 and 'class="error"' in resp.get_data(as_text=True)
    assert _count(app) == 0


def test_rotate_test_event_and_redeliver_from_the_page(app, client, login_as, endpoint, receiver):
    eid, old, _user = endpoint("admin", ["order.created"])
    admin_client(login_as, client)
    new = _secret(client.post(f"/admin/webhooks/{eid}/rotate").get_data(as_text=True))
    assert new != old and new.startswith("whsec_")
    part = client.post(f"/admin/webhooks/{eid}/test", headers=HTMX)
    assert part.status_code == 200 and 'id="webhook-deliveries"' in part.get_data(as_text=True)
    with app.app_context():
        drain()
        did = db.session.scalar(select(WebhookDelivery.id))
    [test] = receiver.received
    assert test["body"].startswith(b'{"type":"webhook.test"') and verified(old, test["headers"], test["body"])
    page = client.get(f"/admin/webhooks/{eid}").get_data(as_text=True)
    assert "webhook.test" in page and "HTTP 200" in page
    assert client.post(f"/admin/webhooks/{eid}/deliveries/{did}/redeliver", headers=HTMX).status_code == 200
    with app.app_context():
        drain()
    assert [r["headers"]["webhook-id"] for r in receiver.received] == [test["headers"]["webhook-id"]] * 2


def test_admin_disables_and_enables_an_endpoint(app, client, login_as, endpoint):
    eid, _secret, _user = endpoint()
    admin_client(login_as, client)
    client.post(f"/admin/webhooks/{eid}/active", data={"active": "0"})
    with app.app_context():
        assert db.session.get(WebhookEndpoint, eid).active is False
    client.post(f"/admin/webhooks/{eid}/active", data={"active": "1"})
    with app.app_context():
        assert db.session.get(WebhookEndpoint, eid).active is True


def test_cli_creates_an_endpoint_and_prints_the_secret_last(app, runner, make_user, receiver):
    make_user("warehouse", "wms")
    result = runner.invoke(args=["webhook", "create", receiver.url, "--events", "order.created,order.shipped",
                                 "--user", "wms"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("whsec_")
    with app.app_context():
        ep = db.session.scalar(select(WebhookEndpoint))
        assert ep.event_list == ["order.created", "order.shipped"] and ep.user.username == "wms"


@pytest.mark.parametrize("args", [
    ["ftp://example.com/x", "--events", "order.created", "--user", "wms"],
    ["http://10.0.0.8/x", "--events", "order.created", "--user", "wms"],
    ["http://orderhub.test/x", "--events", "order.created", "--user", "wms"],
    ["RECEIVER", "--events", "order.exploded", "--user", "wms"],
    ["RECEIVER", "--events", "order.created", "--user", "nobody"],
])
def test_cli_refuses_bad_input_with_a_message(app, runner, make_user, receiver, args):
    make_user("warehouse", "wms")
    args = [receiver.url if a == "RECEIVER" else a for a in args]
    result = runner.invoke(args=["webhook", "create", *args])
    assert result.exit_code != 0 and "Error:" in result.output
    assert _count(app) == 0


def test_posts_without_a_csrf_token_are_refused(app, client, login_as, endpoint):
    eid, _secret, _user = endpoint()
    admin_client(login_as, client)
    with app.app_context():
        before = db.session.get(WebhookEndpoint, eid).secret
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/admin/webhooks/{eid}/rotate").status_code == 400
    with app.app_context():
        assert db.session.get(WebhookEndpoint, eid).secret == before
