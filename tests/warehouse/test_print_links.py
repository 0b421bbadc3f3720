"""The order page links the shipping label and the packing slip for roles that may read them; both
print pages carry a print button and print without the app bar or the status line."""
from tests.factories import make_order
from webapp.access import services as access
from webapp.extensions import db


def test_order_page_links_label_and_slip(app, client, login_as):
    login_as("manager")
    with app.app_context():
        no = make_order(status="confirmed").order_no
    page = client.get(f"/orders/{no}").get_data(as_text=True)
    assert "打印面单" in page and "打印装箱单" in page
    for path in (f"/print/label/{no}", f"/print/slip/{no}"):
        printed = client.get(path).get_data(as_text=True)
        assert "data-print hidden" in printed and "print-button" in printed and "打印" in printed


def test_no_label_link_for_a_role_that_may_not_read_the_address(app, client, login_as):
    login_as("support")
    with app.app_context():
        no = make_order(status="confirmed").order_no
        access.set_level("support", "address", "hidden", actor=None, via="system")
        db.session.commit()
    page = client.get(f"/orders/{no}").get_data(as_text=True)
    assert "打印面单" not in page and "打印装箱单" in page


def test_print_css_hides_the_app_bar_and_the_status_line(client):
    app_css = client.get("/static/css/app.css").get_data(as_text=True)
    offline_css = client.get("/static/css/offline.css").get_data(as_text=True)
    assert ".topbar, .bottomnav, .no-print { display: none !important; }" in app_css
    assert "@media print { .offline-status, .install-hint { display: none !important; } }" in offline_css
