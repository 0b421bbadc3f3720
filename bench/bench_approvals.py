"""Approvals and risk: what the rules cost on the write path, and a two-level chain end to end.

On a demo-seeded SQLite database (2,000 orders), through the same services the screens use:
- create: submit_order by a salesperson (risk screening: address, phone frequency, duplicates);
- ask: pending_payment → awaiting_approval (rules evaluated, chain recorded);
- decide: manager approves level 1, finance approves level 2 (→ confirmed), each one commit.
"""
import statistics
import time

from bench.common import seeded_sqlite, table

N = 50


def _ms(values) -> list:
    values = sorted(values)
    return [len(values), round(statistics.median(values), 1), round(values[int(len(values) * 0.95) - 1], 1),
            round(values[-1], 1)]


def main() -> None:
    """Print p50/p95 of each step for N orders of ¥250,000 goods (manager, then finance)."""
    from sqlalchemy import select

    from webapp import create_app
    from webapp.approvals import services as approvals
    from webapp.auth.models import User
    from webapp.extensions import db
    from webapp.orders import services, txn
    app = create_app({"SQLALCHEMY_DATABASE_URI": seeded_sqlite(2000)})
    timings = {"create": [], "ask": [], "decide level 1": [], "decide level 2": []}
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        sales, boss, cfo = users["sales"], users["manager"], users["finance"]

        def timed(name, write, actor):
            t0 = time.perf_counter()
            result = txn.run(write, actor=actor, via="web")
            timings[name].append((time.perf_counter() - t0) * 1000)
            return result

        for i in range(N):
            raw = {"customer_name": "压测", "customer_phone": f"139{i:08d}", "address": "浙江省杭州市西湖区文三路 90 号"}
            order = timed("create", lambda: services.submit_order(raw, [{"sku": "TEA-PE357", "quantity": 627}],
                                                                   actor=sales, via="web"), sales)
            no = order.order_no
            timed("ask", lambda: services.transition(no, "awaiting_approval", actor=sales, via="web"), sales)
            timed("decide level 1", lambda: approvals.decide(no, "approve", actor=boss), boss)
            done = timed("decide level 2", lambda: approvals.decide(no, "approve", actor=cfo), cfo)
            assert done.status == "confirmed"
        reads = _reads(app, users, sales, services, txn)
    print(f"{N} orders of ¥250,173 goods: manager then finance, SQLite, one process (ms per committed step)")
    print(table([[name] + _ms(values) for name, values in timings.items()], ["step", "n", "p50", "p95", "max"]))
    print(f"\nReads with {WAITING} orders waiting for the manager (ms per call)")
    print(table([[name] + _ms(values) for name, values in reads.items()], ["read", "n", "p50", "p95", "max"]))


WAITING = 200


def _reads(app, users, sales, services, txn) -> dict:
    """Time 待我审批 N, the board's badges for 50 rows, and rule evaluation with the new conditions."""
    import json
    from decimal import Decimal

    from webapp.approvals import inbox, rules
    from webapp.approvals.models import ApprovalRule
    from webapp.extensions import db
    waiting = []
    for i in range(WAITING):
        raw = {"customer_name": "待批", "customer_phone": f"137{i:08d}", "address": "浙江省杭州市西湖区文三路 90 号"}
        order = txn.run(lambda: services.submit_order(raw, [{"sku": "TEA-PE357", "quantity": 200}],
                                                      actor=sales, via="web"), actor=sales, via="web")
        txn.run(lambda: services.transition(order.order_no, "awaiting_approval", actor=sales, via="web"),
                actor=sales, via="web")
        waiting.append(order)
    rows = [{"order_no": o.order_no, "status": "awaiting_approval"} for o in waiting[:50]]
    out = {"my count (manager)": [], "board badges (50 rows)": [], "chain_for (defaults)": [],
           "chain_for (+margin/new-customer rule)": []}

    def clock(name, fn, reps=30):
        for _ in range(reps):
            t0 = time.perf_counter()
            fn()
            out[name].append((time.perf_counter() - t0) * 1000)
    with app.test_request_context("/", method="POST"):  # POST: no per-request memo, every call reads
        clock("my count (manager)", lambda: inbox.waiting_for(users["manager"]))
        assert len(inbox.waiting_for(users["manager"])) >= WAITING
        clock("board badges (50 rows)", lambda: inbox.badges(rows))
        clock("chain_for (defaults)", lambda: rules.chain_for(waiting[0]))
        db.session.add(ApprovalRule(code="bench_extra", name="bench", max_margin=Decimal("0.5"), new_customer=True,
                                    channels="", regions="", levels_json=json.dumps([{"role": "finance"}]),
                                    escalate_hours=4, active=True))
        db.session.flush()
        clock("chain_for (+margin/new-customer rule)", lambda: rules.chain_for(waiting[0]))
        db.session.rollback()
    return out


if __name__ == "__main__":
    main()
