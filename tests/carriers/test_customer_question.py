"""The customer's question button on /t/<token>: an inquiry with the order attached, the support robot told, rate-limited."""
import pytest
from sqlalchemy import func, select

from tests.carriers.fake_robots import text_of
from tests.factories import make_order
from tests.notify.helpers import drain
from webapp.aftersales.models import Inquiry
from webapp.extensions import db
from webapp.orders.models import Order
from webapp.tracking import questions, services


def _token(app) -> tuple[int, str]:
    with app.app_context():
        order = make_order()
        token = services.token_for(db.session.get(Order, order.id))
        db.session.commit()
        return order.id, token


def _inquiries(app, oid) -> list[Inquiry]:
    with app.app_context():
        found = list(db.session.scalars(select(Inquiry).where(Inquiry.order_id == oid)))
        db.session.expunge_all()
        return found


def test_question_becomes_an_inquiry_on_the_order_and_reaches_the_support_robot(app, client, robot, robots_api):
    robot("wecom", events=("customer.question",), audience="support")
    oid, token = _token(app)
    page = client.get(f"/t/{token}").get_data(as_text=True)
    assert 'data-testid="ask"' in page and f"/t/{token}/question" in page
    resp = client.post(f"/t/{token}/question", data={"reason": "where_is_my_order", "question": "什么时候发货？", "lang": "zh_CN"})
    assert resp.status_code == 303 and "asked=1" in resp.headers["Location"]
    [entry] = _inquiries(app, oid)
    assert entry.reason == "where_is_my_order" and entry.actor_id is None and "什么时候发货？" in entry.note
    assert 'data-testid="question-sent"' in client.get(resp.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        drain()
        no = db.session.get(Order, oid).order_no
    assert any(no in text_of(m) for m in robots_api.accepted())


BAD = [  # form, status, what the customer reads (zh_CN)
    ({"reason": "where_is_my_order", "question": "   "}, 422, "请写下您的问题"),
    ({"reason": "refund_everything", "question": "hi"}, 422, "请选择"),
    ({"reason": "other", "question": "长" * 501}, 422, "500"),
]


@pytest.mark.parametrize("form, status, words", BAD)
def test_bad_questions_are_refused_in_the_customers_language_and_nothing_is_stored(app, client, form, status, words):
    oid, token = _token(app)
    resp = client.post(f"/t/{token}/question", data=form)
    assert resp.status_code == status and words in resp.get_data(as_text=True)
    assert _inquiries(app, oid) == []


def test_more_than_three_questions_an_hour_are_refused(app, client):
    oid, token = _token(app)
    for i in range(questions.PER_HOUR):
        assert client.post(f"/t/{token}/question", data={"reason": "other", "question": f"问题 {i}"}).status_code == 303
    resp = client.post(f"/t/{token}/question", data={"reason": "other", "question": "再问一次", "lang": "en"})
    assert resp.status_code == 429 and "try again in an hour" in resp.get_data(as_text=True)
    assert len(_inquiries(app, oid)) == questions.PER_HOUR


def test_a_forged_token_cannot_ask(app, client):
    oid, token = _token(app)
    assert client.post(f"/t/{token[:-2]}xx/question", data={"reason": "other", "question": "hi"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(Inquiry.id))) == 0
