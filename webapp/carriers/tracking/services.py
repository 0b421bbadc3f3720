"""Tracking rules: subscribe a parcel at hand-over, apply callbacks and poll answers, list delivery problems.

Subscriptions and polls are outbox messages (medium "tracking"), so they are sent by the worker,
retried with backoff and never twice for one hand-over. An update stores new scans once each (same
time and text = same scan), keeps them in time order, moves a signed-for order to completed
through the orders write service as the system, and raises a robot alert for a problem state.
"""
import hashlib
import logging
from datetime import timedelta

from sqlalchemy import select

from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify import outbox
from webapp.orders import services as orders
from webapp.orders.errors import OrderError
from webapp.orders.hooks import OrderEvent
from webapp.orders.txn import run
from webapp.core.origin import base_url

from webapp.carriers.robots.alerts import raise_event
from webapp.carriers.tracking.adapters import DELIVERED, PROBLEMS, STATES, Update, adapter, company_of
from webapp.carriers.tracking.models import Parcel, ParcelEvent

MEDIUM = "tracking"
HANDED_OVER = "in_transit"
QUIET_FOR = timedelta(hours=24)  # no callback for this long → the worker polls
log = logging.getLogger(__name__)


def callback_url() -> str:
    """Return the address the aggregator posts updates to."""
    return f"{base_url()}/carriers/kuaidi100/callback"


def on_order_change(event: OrderEvent) -> None:
    """On hand-over with a tracking number, register the parcel and queue its subscription."""
    order = event.order
    if event.kind != "transition" or event.to_state != HANDED_OVER or not (order.tracking_no or "").strip():
        return
    if not adapter().configured():
        return  # no aggregator: the manual hand-over stays as it is
    parcel = db.session.scalar(select(Parcel).where(Parcel.order_id == order.id))
    number = order.tracking_no.strip()
    if parcel is None:
        parcel = Parcel(order_id=order.id, tracking_no=number, created_at=utcnow())
        db.session.add(parcel)
    parcel.carrier, parcel.company, parcel.tracking_no = order.carrier or "", company_of(order.carrier), number
    db.session.flush()
    outbox.enqueue(f"track:subscribe:{parcel.id}:{number}", MEDIUM, "subscribe", {"parcel": parcel.id, "do": "subscribe"},
                   order_id=order.id)


def find(company: str, number: str) -> Parcel | None:
    """Return the parcel a callback names (by number; the company must match when both are known)."""
    for parcel in db.session.scalars(select(Parcel).where(Parcel.tracking_no == number)):
        if not company or not parcel.company or parcel.company == company:
            return parcel
    return None


def apply(parcel: Parcel, update: Update, now=None) -> int:
    """Store an update's new scans and state (the caller commits); return how many scans were new."""
    now = now or utcnow()
    known = {(e.at, e.fingerprint) for e in db.session.scalars(select(ParcelEvent)
                                                              .where(ParcelEvent.parcel_id == parcel.id))}
    new = 0
    for scan in update.scans:
        print_ = hashlib.md5(scan.context.encode()).hexdigest()
        if (scan.at, print_) in known:
            continue
        known.add((scan.at, print_))
        db.session.add(ParcelEvent(parcel_id=parcel.id, at=scan.at, context=scan.context, fingerprint=print_,
                                   status=scan.status, place=scan.place))
        new += 1
    parcel.last_update_at = now
    if update.state in STATES:
        parcel.state = update.state
    if update.state == DELIVERED:
        parcel.problem, parcel.delivered_at = "", parcel.delivered_at or now
    elif update.state in PROBLEMS and parcel.problem != update.state:
        parcel.problem = update.state
        raise_event("carrier.problem", parcel.order, key=f"robot:problem:{parcel.id}:{update.state}:{now.isoformat()}",
                    what=STATES[update.state])
    db.session.flush()
    return new


def complete_if_delivered(parcel: Parcel) -> bool:
    """Move a signed-for parcel's order from in_transit to completed as the system; True if it moved."""
    order = parcel.order
    if parcel.state != DELIVERED or order.status != HANDED_OVER:
        return False
    try:
        run(lambda: orders.transition(order.order_no, "completed", actor=None, via="system",
                                      reason="签收 (carrier tracking)"), actor=None, via="system")
    except OrderError as exc:
        log.warning("tracking: could not complete %s: %s", order.order_no, exc)
        return False
    return True


def events(parcel: Parcel) -> list[ParcelEvent]:
    """Return a parcel's scans, newest first."""
    return list(db.session.scalars(select(ParcelEvent).where(ParcelEvent.parcel_id == parcel.id)
                                   .order_by(ParcelEvent.at.desc(), ParcelEvent.id.desc())))


def parcel_of(order) -> Parcel | None:
    """Return the order's parcel, if it was handed to a tracked carrier."""
    return db.session.scalar(select(Parcel).where(Parcel.order_id == order.id))


def problems() -> list[Parcel]:
    """Return the parcels with an open delivery problem, oldest update first."""
    return list(db.session.scalars(select(Parcel).where(Parcel.problem != "").order_by(Parcel.last_update_at)))


def queue_polls(now=None) -> int:
    """Queue a poll for each parcel in transit that has heard nothing for QUIET_FOR; return how many."""
    now = now or utcnow()
    quiet = db.session.scalars(select(Parcel).where(Parcel.delivered_at.is_(None), Parcel.subscribed_at.isnot(None))).all()
    queued = 0
    for parcel in quiet:
        heard = parcel.last_update_at or parcel.subscribed_at
        if parcel.order.status == HANDED_OVER and heard < now - QUIET_FOR:
            slot = int(now.timestamp() // 3600)
            queued += outbox.enqueue(f"track:poll:{parcel.id}:{slot}", MEDIUM, "poll",
                                     {"parcel": parcel.id, "do": "poll"}, order_id=parcel.order_id) is not None
    db.session.commit()
    return queued
