"""Property: random edits by random users change each order by exactly the permitted edits, and
replaying the audit log from the order's creation reconstructs every order exactly.

The replay starts from nothing: the orders service's `create` entry carries every initial value;
every later entry's `new` value is applied field by field, and line entries (added / removed /
changed) to the list of lines.
"""
import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.factories import make_order, make_product
from webapp.access.policy import policy_for
from webapp.audit.models import AuditEntry
from webapp.audit.services import as_text
from webapp.auth.models import User
from webapp.extensions import db
from webapp.orders import services, txn
from webapp.orders.errors import OrderError
from webapp.orders.models import Order

USERS = (("admin", None), ("manager", None), ("sales", None), ("sales", None), ("warehouse", ["east"]),
         ("finance", None), ("support", None))
COMPUTED = ("order_no", "status", "total_amount", "cost_total", "profit")
SCALARS = ("channel", "external_id", "customer_name", "customer_phone", "address", "region", "discount",
           "shipping_fee", "shipping_paid_by", "total_amount", "cost_total", "profit", "carrier", "tracking_no",
           "outbound_at", "notes", "status")
DERIVED = {"address": {"region"}, "discount": {"total_amount", "profit"},
           "shipping_fee": {"cost_total", "total_amount", "profit"}, "shipping_paid_by": {"total_amount", "profit"},
           "items": {"total_amount", "cost_total", "profit"}}
VALUES = {
    "channel": ["phone", "shop", "wechat"], "external_id": ["EXT-1", "EXT-2"], "customer_name": ["李四", "王五"],
    "customer_phone": ["13911112222", "+86 138 0013 8000"],
    "address": ["上海市浦东新区张江路 88 号", "北京市朝阳区建国路 3 号", "浙江省杭州市西湖区文三路 9 号"],
    "region": ["south", "east"], "discount": ["0.00", "5.00", "20.50"], "shipping_fee": ["0.00", "12.00"],
    "shipping_paid_by": ["us", "customer"],
    "carrier": ["顺丰", "中通"], "tracking_no": ["SF1", "ZT2"], "outbound_at": ["2026-11-20T10:00"],
    "notes": ["小心轻放", "客户要求周末送"], "profit": ["999.00"], "status": ["completed"],
    "items": [[{"sku": "CUP-500", "quantity": "1"}], [{"sku": "CUP-500", "quantity": "2"}, {"sku": "TEA", "quantity": "1"}],
              [{"sku": "TEA", "quantity": "3"}]],
}
_unique = itertools.count(1)  # (channel, external_id) is unique across orders: fresh ids per edit
EDIT = st.tuples(st.integers(0, len(USERS) - 1), st.integers(0, 2), st.sampled_from(sorted(VALUES)),
                 st.integers(0, 2))


def _state(order: Order) -> dict:
    """The order's contract fields as the audit log writes values, lines as a sorted list."""
    state = {f: as_text(getattr(order, f)) for f in SCALARS} | {"salesperson": as_text(order.salesperson_id)}
    state["items"] = sorted(as_text({k: getattr(ln, k) for k in ("sku", "name", "unit_price", "quantity", "unit_cost")})
                            for ln in order.lines)
    return state


def _replay(order_no: str) -> dict:
    state = {}
    for e in db.session.scalars(select(AuditEntry).where(AuditEntry.order_no == order_no).order_by(AuditEntry.id)):
        if e.action == "create":
            state = json.loads(e.new)
        if e.action in ("line_removed", "line_changed"):
            state["items"].remove(as_text(json.loads(e.old)))
        if e.action in ("line_added", "line_changed"):
            state["items"].append(as_text(json.loads(e.new)))
        if e.action in ("update", "transition") and e.field in state:
            state[e.field] = e.new
    state["items"] = sorted(state["items"])
    return state


def _allowed(user, order, name) -> bool:
    policy = policy_for(user)
    return (policy.can_see(order) and name not in COMPUTED and policy.can_write(name)
            and not policy.locked(order, [name]))


def _setup(app, make_user):
    with app.app_context():
        make_product("CUP-500", price="129.00", cost="52.30")
        make_product("TEA", price="268.00", cost="150.00")
    return [make_user(role, regions=regions).id for role, regions in USERS]


def test_random_edits_keep_orders_to_permitted_changes_and_the_log_replays_them(app, make_user):
    user_ids = _setup(app, make_user)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(EDIT, min_size=1, max_size=12))
    def run(edits):
        with app.test_request_context():
            users = [db.session.get(User, uid) for uid in user_ids]
            orders = [make_order(salesperson=users[2]), make_order(salesperson=users[3], discount="5.00"),
                      make_order(status="confirmed", address="浙江省宁波市鄞州区中山路 5 号")]
            starts = {o.order_no: _state(o) for o in orders}
            touched = {o.order_no: set() for o in orders}
            for who, which, name, pick in edits:
                user, order = users[who], orders[which]
                db.session.expire_all()
                order = db.session.get(Order, order.id)
                allowed, before = _allowed(user, order, name), _state(order)
                value = VALUES[name][pick % len(VALUES[name])]
                value = f"{value}-{next(_unique)}" if name == "external_id" else value
                raw, items = ({}, value) if name == "items" else ({name: value}, None)
                try:
                    txn.run(lambda: services.update_order(order.order_no, raw, items, actor=user, via="web"),
                            actor=user, via="web")
                    done = True
                except OrderError:
                    done = False
                db.session.expire_all()
                after = _state(db.session.get(Order, order.id))
                assert done == allowed, (user.role_code, name, value)
                assert done or after == before, (user.role_code, name, value)
                changed = {k for k in after if after[k] != before[k]}
                assert changed <= ({name} | DERIVED.get(name, set()) if allowed else set()), (name, changed)
                touched[order.order_no] |= changed
            for o in orders:
                final = _state(db.session.get(Order, o.id))
                assert {k for k in final if final[k] != starts[o.order_no][k]} <= touched[o.order_no]
                assert _replay(o.order_no) == final

    run()
