"""Two people press the same button at once: exactly one wins, the other is told who moved it and when."""
import threading

import pytest
from sqlalchemy import func, select

from tests.factories import make_order
from webapp.auth.models import User
from webapp.extensions import db
from webapp.orders import services, txn
from webapp.orders.errors import Conflict
from webapp.orders.models import Order, OrderTransition


def _race(app, order_no, user_ids, write, barrier=None):
    """Run write(order_no, actor) in one thread per user at the same moment; return the outcomes."""
    start = threading.Barrier(len(user_ids))
    outcomes = [None] * len(user_ids)

    def worker(i, uid):
        with app.app_context():
            actor = db.session.get(User, uid)
            db.session.commit()  # release the read; each thread starts its write fresh
            start.wait(timeout=10)
            try:
                txn.run(lambda: write(order_no, actor), actor=actor, via="web")
                outcomes[i] = "won"
            except Conflict as exc:
                outcomes[i] = str(exc.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, uid)) for i, uid in enumerate(user_ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def _setup(app, make_user, status="pending_payment"):
    sales, manager = make_user("sales"), make_user("manager")
    with app.app_context():
        order = make_order(salesperson=sales, status=status)
        return order.order_no, [sales.id, manager.id]


@pytest.mark.parametrize("rounds", [3])
def test_same_transition_twice_exactly_one_wins(app, make_user, backend, rounds):
    for _ in range(rounds):
        order_no, ids = _setup(app, make_user)
        outcomes = _race(app, order_no, ids, lambda no, actor: services.transition(
            no, "confirmed", actor=actor, via="web", version=1))
        assert sorted(o == "won" for o in outcomes) == [False, True], outcomes
        loser = next(o for o in outcomes if o != "won")
        assert order_no in loser and ("已确认" in loser or "Confirmed" in loser)
        with app.app_context():
            order = db.session.scalar(select(Order).where(Order.order_no == order_no))
            steps = db.session.scalar(select(func.count()).select_from(OrderTransition)
                                      .where(OrderTransition.order_id == order.id))
            assert (order.status, order.version, steps) == ("confirmed", 2, 2)


def test_two_different_steps_at_once_only_one_happens(app, make_user, backend):
    """Confirm and cancel race on the same order: the loser is refused, never both applied."""
    order_no, ids = _setup(app, make_user)
    targets = {ids[0]: "confirmed", ids[1]: "cancelled"}
    outcomes = _race(app, order_no, ids, lambda no, actor: services.transition(
        no, targets[actor.id], actor=actor, via="web", version=1, reason="重复下单"))
    assert outcomes.count("won") == 1, outcomes
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.order_no == order_no))
        assert order.version == 2 and order.status in ("confirmed", "cancelled")


def test_concurrent_edits_with_the_same_version_one_wins(app, make_user, backend):
    order_no, ids = _setup(app, make_user)
    outcomes = _race(app, order_no, ids, lambda no, actor: services.update_order(
        no, {"notes": f"by {actor.username}"}, version=1, actor=actor, via="web"))
    assert outcomes.count("won") == 1, outcomes
    with app.app_context():
        assert db.session.scalar(select(Order.version).where(Order.order_no == order_no)) == 2


def test_conditional_update_catches_a_change_after_the_read(app, make_user, backend, monkeypatch):
    """Both writers have read version 1 before either writes (PostgreSQL: no up-front write lock)."""
    if backend != "postgresql":
        pytest.skip("SQLite takes the write lock before reading, so the readers cannot overlap")
    order_no, ids = _setup(app, make_user)
    both_read = threading.Barrier(2)
    original = services.sm.refusal

    def refusal_after_both_read(*args, **kwargs):
        both_read.wait(timeout=10)
        return original(*args, **kwargs)

    monkeypatch.setattr(services.sm, "refusal", refusal_after_both_read)
    outcomes = _race(app, order_no, ids, lambda no, actor: services.transition(
        no, "confirmed", actor=actor, via="web"))
    assert outcomes.count("won") == 1, outcomes
    assert "已确认" in next(o for o in outcomes if o != "won")
