"""有赞 push format: a trade message signed with Event-Sign creates its order once; forged or odd messages do not."""
import hashlib
import json
from urllib.parse import quote_plus

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.intake.models import IntakeRun
from webapp.orders.models import Order

CLIENT_ID, CLIENT_SECRET = "b8fca94e508ac942de", "youzan-client-secret-1"
TRADE = {"full_order_info": {
    "order_info": {"tid": "E20261201105106025604163", "status": "WAIT_SELLER_SEND_GOODS"},
    "address_info": {"receiver_name": "李华", "receiver_tel": "13700137000", "delivery_province": "江苏省",
                     "delivery_city": "南京市", "delivery_district": "鼓楼区", "delivery_address": "中山路1号"},
    "remark_info": {"buyer_message": "下午送"}, "pay_info": {"post_fee": "0.00", "payment": "136.00"},
    "orders": [{"outer_sku_id": "QC-5KG", "num": 2, "title": "赣南脐橙"}]}}


def _channel(runner, make_user):
    make_user("sales", "shopbot")
    assert runner.invoke(args=["channel", "add", "yz", "--label", "有赞", "--kind", "push", "--user", "shopbot"]).exit_code == 0
    result = runner.invoke(args=["channel", "platform", "yz", "--push-format", "youzan", "--app-id", CLIENT_ID,
                                 "--app-secret", CLIENT_SECRET])
    assert result.exit_code == 0, result.output


def _post(client, trade=TRADE, kind="trade_TradeCreate", secret=CLIENT_SECRET):
    body = json.dumps({"client_id": CLIENT_ID, "id": trade["full_order_info"]["order_info"]["tid"], "kdt_id": 567323,
                       "kdt_name": "有赞的店", "mode": 1, "status": "WAIT_SELLER_SEND_GOODS", "type": kind,
                       "version": 1733050000, "test": False,
                       "msg": quote_plus(json.dumps(trade, ensure_ascii=False))}, ensure_ascii=False).encode()
    sign = hashlib.md5(CLIENT_ID.encode() + body + secret.encode()).hexdigest()
    return client.post("/intake/push/yz", data=body, headers={"Client-Id": CLIENT_ID, "Event-Type": kind,
                                                              "Event-Sign": sign, "Content-Type": "application/json"})


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Order))


def test_youzan_trade_creates_its_order_once(app, client, runner, make_user, catalogue):
    _channel(runner, make_user)
    first = _post(client)
    assert first.status_code == 201, first.get_data(as_text=True)
    again = _post(client, kind="trade_TradePaid")
    assert again.status_code == 200 and again.json["order_no"] == first.json["order_no"]
    with app.app_context():
        got = db.session.scalars(select(Order)).one()
        assert (got.channel, got.external_id, got.customer_name) == ("yz", "E20261201105106025604163", "李华")
        assert got.address == "江苏省南京市鼓楼区中山路1号" and "下午送" in got.notes
        assert [(ln.sku, ln.quantity) for ln in got.lines] == [("QC-5KG", 2)]


def test_youzan_refuses_a_wrong_sign_and_logs_a_bad_trade(app, client, runner, make_user, catalogue):
    _channel(runner, make_user)
    assert _post(client, secret="not-the-secret").status_code == 401
    unknown = json.loads(json.dumps(TRADE))
    unknown["full_order_info"]["orders"][0]["outer_sku_id"] = "NOPE"
    bad = _post(client, unknown)
    assert bad.status_code == 422 and "NOPE" in bad.json["message"]
    assert _post(client, kind="trade_TradeClose").json["status"] == "ignored"
    assert _count(app) == 0
    with app.app_context():
        run = db.session.scalars(select(IntakeRun).where(IntakeRun.source == "push")).one()
        assert run.failed == 1 and "E20261201105106025604163" in run.errors[0].raw
