"""Check and convert typed order input (form, API, offline replay) into clean values, field by field."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.auth.models import User
from webapp.core.money import parse_money
from webapp.core.timefmt import FIRST_DAY, LAST_DAY
from webapp.extensions import db
from webapp.orders.models import Product
from webapp.orders.phones import normalize_phone
from webapp.orders.regions import region_of
from webapp.vocab import CHANNELS, DEFAULT_SHIPPING_PAYER, REGIONS, SHIPPING_PAYERS

MAX_QUANTITY = 100_000
TEXT_LIMITS = {"customer_name": 64, "address": 255, "external_id": 64, "carrier": 32,
               "tracking_no": 64, "notes": 2000}
MONEY_MESSAGES = {
    "more than two decimals": _l("At most two decimals (fen)."),
    "negative": _l("Cannot be negative."),
    "too large": _l("Amount too large."),
}


def _text(name, value):
    text = str(value or "").strip()
    if name in ("customer_name", "address") and not text:
        return None, _l("Required.")
    if len(text) > TEXT_LIMITS[name]:
        return None, _l("At most %(n)d characters.", n=TEXT_LIMITS[name])
    if name == "address" and region_of(text) is None:
        return None, _l("Start the address with its province, e.g. 浙江省杭州市….")
    return (text or None) if name in ("external_id", "carrier", "tracking_no") else text, None


def _phone(_name, value):
    try:
        return normalize_phone(str(value or "")), None
    except ValueError:
        return None, _l("Enter a valid phone number, e.g. 138 0013 8000.")


def _money(_name, value):
    try:
        return parse_money("0" if str(value or "").strip() == "" else value), None
    except ValueError as exc:
        return None, MONEY_MESSAGES.get(str(exc), _l("Enter an amount such as 12.50."))


def _region(_name, value):
    text = str(value or "").strip()
    if text == "":
        return None, None  # follow the address
    return (text, None) if text in REGIONS else (None, _l("Unknown region."))


def _salesperson(_name, value):
    text = str(value or "").strip().lower()
    user_id = db.session.scalar(select(User.id).where(User.username == text)) if text else None
    return (user_id, None) if user_id else (None, _l("Unknown user."))


def _moment(_name, value):
    text = str(value or "").strip()
    if not text:
        return None, None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None, _l("Enter a date and time.")
    if not FIRST_DAY <= moment.date() <= LAST_DAY:  # year 1 or 9999 overflow when moved to UTC or shown
        return None, _l("Enter a date and time.")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(current_app.config["ORDERHUB_TZ"]))
    return moment, None


def _payer(_name, value):
    text = str(value or "").strip()
    if text == "":
        return DEFAULT_SHIPPING_PAYER, None
    return (text, None) if text in SHIPPING_PAYERS else (None, _l("Choose who pays the shipping: customer or us."))


# Checks that accept channels beyond the built-in vocab.CHANNELS (webapp.intake installs one: channels as data).
CHANNEL_CHECKS: list = []


def _channel(_name, value):
    text = str(value or "").strip()
    if text in CHANNELS or any(accepts(text) for accepts in CHANNEL_CHECKS):
        return text, None
    return None, _l("Unknown channel.")


PARSERS = {
    "channel": _channel,
    "external_id": _text, "customer_name": _text, "address": _text, "carrier": _text,
    "tracking_no": _text, "notes": _text, "customer_phone": _phone, "region": _region,
    "salesperson": _salesperson, "discount": _money, "shipping_fee": _money, "outbound_at": _moment,
    "shipping_paid_by": _payer,
}


def clean_fields(raw: dict) -> tuple[dict, dict]:
    """Return (clean values, errors) for the scalar order fields present in raw."""
    clean, errors = {}, {}
    for name, parse in PARSERS.items():
        if name in raw:
            value, error = parse(name, raw[name])
            if error:
                errors[name] = error
            else:
                clean[name] = value
    return clean, errors


def _quantity(value):
    text = str(value if value is not None else "").strip()
    try:
        number = Decimal(text)
    except ArithmeticError:
        return None, _l("Enter a whole number.")
    if not number.is_finite() or number != number.to_integral_value():
        return None, _l("Enter a whole number.")
    if number <= 0:
        return None, _l("Quantity must be at least 1.")
    if number > MAX_QUANTITY:
        return None, _l("Quantity too large.")
    return int(number), None


def clean_items(items: list[dict], sold=None) -> tuple[list[dict], dict]:
    """Resolve typed lines (sku, quantity) against the catalogue; keep sold-at prices of `sold` lines.

    Price, cost and name always come from the catalogue (or the line as it was sold), never as typed.
    """
    sold = {ln.sku: ln for ln in (sold or [])}
    skus = {str(it.get("sku") or "").strip().upper() for it in items}
    catalogue = {p.sku: p for p in db.session.scalars(
        select(Product).where(Product.sku.in_(skus - set(sold)), Product.active.is_(True)))}
    lines, errors = [], {}
    for i, item in enumerate(items):
        sku = str(item.get("sku") or "").strip().upper()
        source = sold.get(sku) or catalogue.get(sku)
        if source is None:
            errors[f"items-{i}-sku"] = _l("Unknown SKU %(sku)s.", sku=sku or "—")
        qty, error = _quantity(item.get("quantity"))
        if error:
            errors[f"items-{i}-quantity"] = error
        if source is not None and qty is not None:
            lines.append({"sku": sku, "name": source.name, "unit_price": source.unit_price,
                          "unit_cost": source.unit_cost, "quantity": qty})
    if not items:
        errors["items"] = _l("Add at least one line.")
    return lines, errors
