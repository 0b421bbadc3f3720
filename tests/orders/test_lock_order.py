"""A writer takes the audit chain's lock before the shared rows it writes, so writers cannot deadlock.

The drill's capacity run on PostgreSQL got 503s ("database unavailable") that were deadlocks: a step
had bumped an order-counter row and waited for the chain's lock, while the chain's holder (another
step, a second transition of the same request) waited for that counter row. PostgreSQL aborted one.
"""
import threading
import time

import pytest
from sqlalchemy import text

from tests.factories import make_order
from webapp.audit.services import CHAIN_LOCK
from webapp.auth.models import User
from webapp.extensions import db
from webapp.orders import counts, services, txn


def _waiting_for_chain(conn) -> bool:
    return bool(conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                                  "AND objid = :k"), {"k": CHAIN_LOCK}).scalar())


def test_a_step_waits_for_the_chain_before_it_takes_a_counter_row(app, make_user, backend):
    if backend != "postgresql":
        pytest.skip("the chain's lock is a PostgreSQL advisory lock; SQLite serialises writers (BEGIN IMMEDIATE)")
    manager, sales = make_user("manager"), make_user("sales")
    with app.app_context():
        order = make_order(salesperson=sales)
        order_no, key = order.order_no, counts.key(order)
        db.session.remove()
    outcome = {}

    def step():
        with app.app_context():
            actor = db.session.get(User, manager.id)
            db.session.commit()
            try:
                txn.run(lambda: services.transition(order_no, "confirmed", actor=actor, via="web"),
                        actor=actor, via="web")
                outcome["step"] = "done"
            except Exception as exc:  # noqa: BLE001 - the deadlock victim, reported below
                outcome["step"] = repr(exc)
            finally:
                db.session.remove()

    with app.app_context():
        holder = db.engine.connect()  # another writer that has appended to the chain and is still busy
        watcher = db.engine.connect()
        try:
            holder.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK})
            thread = threading.Thread(target=step)
            thread.start()
            deadline = time.monotonic() + 10
            while not _waiting_for_chain(watcher) and time.monotonic() < deadline:
                time.sleep(0.02)
            holder.execute(text("SET LOCAL lock_timeout = '5s'"))
            holder.execute(text("UPDATE order_counts SET n = n WHERE status = :s AND region = :r AND channel = :c "
                                "AND salesperson_id = :p"), dict(zip("srcp", key)))  # the step's first counter row
            holder.commit()
            outcome["holder"] = "done"
        except Exception as exc:  # noqa: BLE001
            outcome["holder"] = repr(exc)
            holder.rollback()
        finally:
            holder.close()
            watcher.close()
        thread.join(timeout=20)
        db.engine.dispose()
    assert outcome == {"holder": "done", "step": "done"}
