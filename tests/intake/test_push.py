"""Shop push: signed by the channel's secret, refused when forged or stale, idempotent per external id."""
import json
import time

from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook

from webapp.extensions import db
from webapp.orders.models import Order

ORDER = {"external_id": "YZ-20261201-1", "customer_name": "王小明", "customer_phone": "13800138000",
         "address": "浙江省杭州市西湖区文三路90号", "items": [{"sku": "QC-5KG", "quantity": 2}]}


def _channel(runner, make_user):
    make_user("sales", "shopbot")
    result = runner.invoke(args=["channel", "add", "youzan", "--label", "有赞", "--kind", "push", "--user", "shopbot"])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def _post(client, secret, payload, *, msg_id="msg_1", at=None):
    body = json.dumps(payload, ensure_ascii=False)
    at = at or time.time()
    from datetime import datetime, timezone
    signature = Webhook(secret).sign(msg_id, datetime.fromtimestamp(at, tz=timezone.utc), body)
    headers = {"webhook-id": msg_id, "webhook-timestamp": str(int(at)), "webhook-signature": signature,
               "Content-Type": "application/json"}
    return client.post("/intake/push/youzan", data=body.encode(), headers=headers)


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Order))


def test_push_creates_once(app, client, runner, make_user, catalogue):
    secret = _channel(runner, make_user)
    assert secret.startswith("whsec_")
    first = _post(client, secret, ORDER)
    assert first.status_code == 201, first.get_data(as_text=True)
    again = _post(client, secret, ORDER, msg_id="msg_2")
    assert again.status_code == 200 and again.json == {"status": "existing", "order_no": first.json["order_no"]}
    assert _count(app) == 1
    with app.app_context():
        order = db.session.scalars(select(Order)).one()
        assert (order.channel, order.salesperson.username) == ("youzan", "shopbot")


def test_push_refusals(app, client, runner, make_user, catalogue):
    secret = _channel(runner, make_user)
    assert _post(client, "whsec_" + "A" * 43, ORDER).status_code == 401
    assert _post(client, secret, ORDER, at=time.time() - 400).status_code == 401  # a replay older than 5 min
    bad = _post(client, secret, ORDER | {"items": [{"sku": "NOPE", "quantity": 1}]})
    assert bad.status_code == 422 and "NOPE" in bad.json["message"]
    assert client.post("/intake/push/web", data=b"{}").status_code == 404
    assert client.post("/intake/push/youzan", data=b"{}").status_code == 401  # unsigned
    assert _count(app) == 0


def test_push_channel_needs_a_user(runner):
    result = runner.invoke(args=["channel", "add", "jd", "--label", "京东", "--kind", "push"])
    assert result.exit_code != 0 and "needs --user" in result.output
