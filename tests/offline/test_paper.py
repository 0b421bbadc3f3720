"""Paper fallback: reserved numbers never reused, QR per form, entered exactly once; the recovery checklist."""
import io
import re

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from tests.factories import make_order, make_product
from webapp.extensions import db
from webapp.offline import paper
from webapp.offline.models import ReservedNumber
from webapp.orders.models import Order

ENTRY = {"customer_name": "王芳", "customer_phone": "13800138000", "address": "上海市浦东新区张江路 88 号",
         "items-0-sku": "CUP-500", "items-0-quantity": "2"}


def reserved(app):
    with app.app_context():
        return db.session.scalars(select(ReservedNumber).order_by(ReservedNumber.order_no)).all()


def test_printing_reserves_numbers_and_downloads_a_pdf(app, client, login_as):
    login_as("sales")
    resp = client.post("/offline/paper", data={"count": "3"})
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.data.startswith(b"%PDF") and resp.data.count(b"/Type /Page\n") + resp.data.count(b"/Type /Page ") >= 3
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = reserved(app)
    assert len(rows) == 3 and len({r.batch for r in rows}) == 1


def test_reserved_numbers_are_never_given_to_another_order(app, client, login_as):
    login_as("sales")
    client.post("/offline/paper", data={"count": "5"})
    with app.app_context():
        later = make_order().order_no
    numbers = {r.order_no for r in reserved(app)}
    assert later not in numbers and later > max(numbers)


def test_each_form_qr_leads_to_its_signed_landing(app):
    with app.test_request_context():
        url = "http://orderhub.test/offline/p/SO20261126-0007?s=" + paper.sign("SO20261126-0007")
        decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(paper.qr_png(url))))
    assert [d.text for d in decoded] == [url]


def test_print_again_reuses_the_batch_without_reserving_more(app, client, login_as):
    login_as("sales")
    client.post("/offline/paper", data={"count": "2"})
    batch = reserved(app)[0].batch
    resp = client.get(f"/offline/paper/{batch}.pdf")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    assert len(reserved(app)) == 2


@pytest.mark.parametrize("count", ["0", "51", "x"])
def test_a_silly_count_reserves_nothing(app, client, login_as, count):
    login_as("manager")
    client.post("/offline/paper", data={"count": count})
    assert reserved(app) == []


def test_roles_that_do_not_enter_orders_cannot_print_forms(client, login_as):
    login_as("warehouse")
    assert client.post("/offline/paper", data={"count": "2"}).status_code == 403
    assert client.get("/offline/paper").status_code == 403


def _landing(app, order_no):
    with app.test_request_context():
        return f"/offline/p/{order_no}?s={paper.sign(order_no)}"


def test_scanning_a_paper_form_enters_the_order_exactly_once(app, client, login_as):
    with app.app_context():
        make_product("CUP-500", price="129.00", cost="52.30")
    login_as("sales")
    client.post("/offline/paper", data={"count": "1"})
    number = reserved(app)[0].order_no
    url = _landing(app, number)
    assert client.get(url).status_code == 200
    first = client.post(url, data=ENTRY)
    assert first.status_code == 302
    again = client.post(url, data=ENTRY)
    assert again.status_code == 302
    assert client.get(url).status_code == 302  # the form now leads to the order
    with app.app_context():
        orders = db.session.scalars(select(Order).where(Order.order_no == number)).all()
        assert len(orders) == 1 and orders[0].channel == "offline_form"
        assert db.session.scalar(select(func.count()).select_from(Order)) == 1
        row = db.session.get(ReservedNumber, number)
        assert row.used_at is not None and row.order_id == orders[0].id


def test_a_rejected_entry_keeps_the_number_free(app, client, login_as):
    login_as("sales")
    client.post("/offline/paper", data={"count": "1"})
    number = reserved(app)[0].order_no
    resp = client.post(_landing(app, number), data=ENTRY | {"items-0-sku": "NOPE"})
    assert resp.status_code == 422
    assert reserved(app)[0].used_at is None


def test_a_forged_or_unknown_form_is_refused(app, client, login_as):
    login_as("sales")
    client.post("/offline/paper", data={"count": "1"})
    number = reserved(app)[0].order_no
    assert client.get(f"/offline/p/{number}?s=forged").status_code == 404
    assert client.get(_landing(app, "SO19990101-0001")).status_code == 404


def test_recovery_checklist_is_for_admins_and_lists_numbers_not_entered(client, login_as, app):
    login_as("sales")
    client.post("/offline/paper", data={"count": "2"})
    other = app.test_client()
    login_as("admin", c=other)
    page = other.get("/offline/recovery")
    assert page.status_code == 200
    for row in reserved(app):
        assert row.order_no in page.get_data(as_text=True)
    assert re.search(r"audit verify", page.get_data(as_text=True))
    assert client.get("/offline/recovery").status_code == 403
