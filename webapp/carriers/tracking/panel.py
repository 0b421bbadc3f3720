"""What the customer page (/t/<token>) shows of the parcel: courier scans, the latest one and the ETA.

Registered with webapp.tracking from this domain's init_app, so the tracking page needs no import of it.
"""
from urllib.parse import urlencode

from sqlalchemy import select

from webapp.extensions import db
from webapp.orders.models import OrderTransition

from webapp.carriers.tracking import eta, services

COURIER_PAGE = "https://www.kuaidi100.com/chaxun?"


def handed_over_at(order):
    """Return when the order last went in transit (None if it never did)."""
    return db.session.scalar(select(OrderTransition.at).where(OrderTransition.order_id == order.id,
                                                              OrderTransition.to_state == "in_transit")
                             .order_by(OrderTransition.at.desc()).limit(1))


def customer_panel(order) -> dict:
    """Return the parcel's scans (newest first), the latest scan, the courier's page and an arrival estimate."""
    parcel = services.parcel_of(order)
    scans = services.events(parcel) if parcel is not None else []
    found = {"scans": scans, "latest_scan": scans[0] if scans else None, "eta": None, "courier_url": None}
    if parcel is not None and parcel.company:
        found["courier_url"] = COURIER_PAGE + urlencode({"com": parcel.company, "nu": parcel.tracking_no})
    handed = handed_over_at(order) if order.status == "in_transit" else None
    if handed is not None:
        found["eta"] = eta.estimate(order, handed)
    return found
