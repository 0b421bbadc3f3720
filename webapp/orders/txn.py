"""Run one order write as one transaction: commit on success; on a refusal, roll back and record it.

A refused write (a field the actor may not write, a step their role may not take, a skipped step)
must leave a trace although the change itself is rolled back. So the refusal is written to the audit
log in a second, separate transaction after the rollback. Views, the API and offline replay all call
run(); an idempotency layer can wrap the view around it.
"""
from typing import Callable

from webapp.audit import services as audit
from webapp.extensions import db
from webapp.orders.errors import OrderError


def run(write: Callable, *, actor, via: str):
    """Call write() and commit; on OrderError roll back, record it if it is a refusal, and re-raise."""
    try:
        result = write()
        _commit_keeping_state()
        return result
    except OrderError as exc:
        db.session.rollback()
        if exc.record:
            record_refusal(exc, actor=actor, via=via)
            db.session.commit()
        raise
    except BaseException:
        db.session.rollback()
        raise


def _commit_keeping_state() -> None:
    """Commit without expiring the objects just written: they hold exactly what was stored (the write
    service sets every value it writes), so the answer is built from them instead of reloading the
    order, its lines and the user in a second transaction (on SQLite a second write lock per request)."""
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def record_refusal(error, *, actor, via: str) -> None:
    """Record a refused write in the audit log (called after rollback, in its own transaction)."""
    fields = ",".join(error.fields or [])
    audit.record("refused_write", actor=actor, via=via, order_no=getattr(error, "order_no", None),
                 field=fields[:64] or None, detail=f"{error.code}: {error.message} [{fields}]")
