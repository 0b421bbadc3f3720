"""Notes from the floor are appended entries (author, time, text), listed on the order page and the pack screen."""
from sqlalchemy import select

from tests.factories import make_order
from webapp.extensions import db
from webapp.orders.models import Order, OrderNote


def _entries(app, order_no):
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.order_no == order_no))
        return [(n.author.username if n.author else None, n.text)
                for n in db.session.scalars(select(OrderNote).where(OrderNote.order_id == order.id)
                                            .order_by(OrderNote.id))], order.notes


def test_two_people_add_notes_both_kept_with_author(app, client, login_as, make_user):
    with app.app_context():
        order_no = make_order(status="confirmed").order_no  # region east
    first = login_as("warehouse")
    assert client.post(f"/pack/{order_no}/note", data={"note": "易碎，轻放"}).status_code == 303
    other = app.test_client()
    second = login_as("warehouse", c=other)
    assert other.post(f"/offline/orders/{order_no}/note", data={"note": "客户要求下午送"}).status_code == 303
    entries, text = _entries(app, order_no)
    assert entries == [(first.username, "易碎，轻放"), (second.username, "客户要求下午送")]
    assert text == "易碎，轻放\n客户要求下午送"  # the contract field `notes` still reads the same


def test_entries_are_listed_on_the_order_page_and_the_pack_screen(app, client, login_as):
    with app.app_context():
        order_no = make_order(status="confirmed").order_no
    user = login_as("warehouse")
    client.post(f"/pack/{order_no}/note", data={"note": "门口有狗"})
    for url in (f"/pack/{order_no}", f"/orders/{order_no}"):
        page = client.get(url).get_data(as_text=True)
        assert 'data-testid="note-entry"' in page and "门口有狗" in page and user.name in page, url


def test_an_empty_or_unwritable_note_adds_nothing(app, client, login_as):
    with app.app_context():
        order_no = make_order(status="confirmed").order_no
    login_as("warehouse")
    assert client.post(f"/pack/{order_no}/note", data={"note": "  "}).status_code == 422
    login_as("finance")  # may read notes, not write them
    assert client.post(f"/offline/orders/{order_no}/note", data={"note": "x"}).status_code == 403
    assert _entries(app, order_no)[0] == []


def test_migration_turns_existing_notes_text_into_a_first_entry(tmp_path):
    """w3_hardening: an order's notes text from before becomes its first entry (SQLite file, real revisions)."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from webapp import create_app
    url = f"sqlite:///{tmp_path / 'm.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade(revision="w3_audit_anchor")
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO orders (order_no, channel, customer_name, customer_phone, address, status, discount, "
                "shipping_fee, total_amount, cost_total, profit, notes, version, created_at, updated_at, "
                "state_changed_at) VALUES ('SO1', 'web', 'a', '+8613800138000', 'x', 'confirmed', 0, 0, 0, 0, 0, "
                "'易碎\n放门卫', 1, '2026-01-01 00:00:00', '2026-01-02 00:00:00', '2026-01-01 00:00:00'), "
                "('SO2', 'web', 'a', '+8613800138000', 'x', 'confirmed', 0, 0, 0, 0, 0, '  ', 1, "
                "'2026-01-01 00:00:00', '2026-01-02 00:00:00', '2026-01-01 00:00:00')"))
        upgrade(revision="w3_hardening")
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT o.order_no, n.text, n.author_id FROM order_notes n "
                                        "JOIN orders o ON o.id = n.order_id")).all()
        db.engine.dispose()
    assert [tuple(r) for r in rows] == [("SO1", "易碎\n放门卫", None)]
