"""Signed QR labels: the URL a label encodes, refusing tampered or foreign ones, printable pages."""
import pytest
from sqlalchemy import func, select

from webapp.extensions import db

from webapp.warehouse import qr
from webapp.warehouse.models import Scan


def test_signature_is_short_url_safe_and_bound_to_the_order():
    sig = qr.sign("SO20261126-0001", "secret")
    assert len(sig) >= 16 and sig.replace("-", "").replace("_", "").isalnum()
    assert qr.valid("SO20261126-0001", sig, "secret")
    assert not qr.valid("SO20261126-0002", sig, "secret")
    assert not qr.valid("SO20261126-0001", sig, "another-secret")
    assert not qr.valid("SO20261126-0001", None, "secret")


@pytest.mark.parametrize("text, expected", [
    ("https://hub.example.cn/o/SO20261126-0001?s=abc", ("SO20261126-0001", "abc", True)),
    ("so20261126-0001", ("SO20261126-0001", None, False)),
    ("https://example.com/pay?x=1", (None, None, False)),
    ("https://evil.example/a/b/o/SO1?s=x", (None, None, True)),
])
def test_parse_reads_label_urls_and_typed_numbers(text, expected):
    code = qr.parse(text)
    assert (code.order_no, code.sig, code.is_label) == expected


def test_label_url_opens_the_pack_screen_and_counts_as_a_scan(client, login_as, new_order, label, in_db):
    login_as("warehouse")
    no = new_order()
    resp = client.get(label(no).removeprefix("http://orderhub.test"))
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/pack/{no}")
    assert in_db(lambda: db.session.scalars(select(Scan.method)).all()) == ["url"]


def test_tampered_label_is_refused_with_a_clear_message(client, login_as, new_order, in_db):
    login_as("warehouse")
    no = new_order()
    resp = client.get(f"/o/{no}?s=AAAAAAAAAAAAAAAAAAAAAA")
    assert resp.status_code == 403
    assert "二维码被改动过或不属于本系统" in resp.get_data(as_text=True)
    assert in_db(lambda: db.session.scalar(select(func.count()).select_from(Scan))) == 0


def test_label_of_another_order_does_not_open_this_one(client, login_as, new_order, app):
    login_as("warehouse")
    a, b = new_order(), new_order()
    resp = client.get(f"/o/{a}?s={qr.sign(b, app.config['SECRET_KEY'])}")
    assert resp.status_code == 403


def test_label_url_asks_a_logged_out_phone_to_log_in_then_returns(client, new_order, label):
    no = new_order()
    path = label(no).removeprefix("http://orderhub.test")
    resp = client.get(path)
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert f"o/{no}" in resp.headers["Location"].replace("%2F", "/")


def test_label_page_has_the_qr_number_and_address_but_no_prices(client, login_as, new_order):
    login_as("warehouse")
    no = new_order()
    page = client.get(f"/print/label/{no}").get_data(as_text=True)
    assert "<svg" in page and no in page and "文三路" in page
    assert "¥" not in page
    assert "138****8000" in page and "13800138000" not in page


@pytest.mark.parametrize("role, sees_prices", [("warehouse", False), ("support", False), ("finance", True),
                                                ("manager", True)])
def test_packing_slip_shows_prices_only_to_roles_that_may_read_them(client, login_as, new_order, role, sees_prices):
    login_as(role)
    no = new_order()
    page = client.get(f"/print/slip/{no}").get_data(as_text=True)
    assert no in page and "保温杯" in page and "<svg" in page
    assert ("¥129.00" in page) is sees_prices


def test_print_css_sets_the_paper_sizes(client):
    assert b"100mm 150mm" in client.get("/static/css/print-label.css").data
    assert b"A4" in client.get("/static/css/print-slip.css").data


def test_batch_labels_print_my_regions_orders_waiting_to_be_packed(client, login_as, new_order, label):
    login_as("warehouse", regions=["east"])
    mine = [new_order(), new_order(status="in_production")]
    shipped = new_order(status="outbound")
    elsewhere = new_order(address="北京市朝阳区建国路 1 号")
    page = client.get("/print/labels?region=east").get_data(as_text=True)
    assert all(no in page for no in mine)
    assert shipped not in page and elsewhere not in page
    assert page.count('class="label-sheet"') == 2


def test_batch_labels_of_another_region_are_refused(client, login_as, new_order):
    login_as("warehouse", regions=["east"])
    assert client.get("/print/labels?region=north").status_code == 403


def test_batch_labels_filter_by_day(client, login_as, new_order):
    login_as("warehouse")
    new_order()
    assert 'class="label-sheet"' not in client.get("/print/labels?region=east&day=2020-01-01").get_data(as_text=True)
    assert client.get("/print/labels?region=east&day=yesterday").status_code == 422
