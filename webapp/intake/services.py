"""Turn parsed intake (接龙 entries, file rows) into orders through the one write service, and log the run.

Each order is all or nothing (its own transaction, or a savepoint rolled back in a dry run); an order
whose (channel, external id) already exists is counted as existing, so running the same input again
creates nothing. Field permissions are those of the acting user; the audit log says via=intake.
"""
from dataclasses import dataclass, field

from sqlalchemy import select

from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.intake.models import IntakeError, IntakeRun, ItemAlias
from webapp.orders import services as orders
from webapp.orders import txn
from webapp.orders.errors import OrderError
from webapp.orders.models import Order, Product

VIA = "intake"
RAW_LIMIT = 4000  # characters of a failed line kept in the log


@dataclass
class Draft:
    """One order to create: its fields (contract names), lines (sku, quantity) and where it came from."""

    line: int
    raw: dict
    items: list
    source: str = ""  # the text or row, for the log
    problems: list = field(default_factory=list)  # found before writing (missing phone, …)


@dataclass
class Outcome:
    """What one run did: counts, and (line, message, raw) per failure; `orders` maps line → order_no."""

    created: int = 0
    existing: int = 0
    failed: int = 0
    errors: list = field(default_factory=list)
    orders: dict = field(default_factory=dict)
    seen: set = field(default_factory=set)  # external ids met in this run (a dry run writes none)

    def summary(self) -> str:
        """The last line both import commands print."""
        return f"created {self.created}, existing {self.existing}, failed {self.failed}"


def catalogue_names() -> dict[str, str]:
    """Map every active product's name and SKU, and every alias, to its SKU (for matching lines)."""
    names = {}
    for sku, name in db.session.execute(select(Product.sku, Product.name).where(Product.active.is_(True))):
        names[name] = names[sku] = sku
    active = set(names.values())
    for alias, sku in db.session.execute(select(ItemAlias.alias, ItemAlias.sku)):
        if sku in active:
            names[alias] = sku
    return names


def existing_order(channel: str, external_id: str) -> str | None:
    """Return the number of the order that already has this (channel, external id), if any."""
    return db.session.scalar(select(Order.order_no).where(Order.channel == channel,
                                                           Order.external_id == external_id))


def error_text(exc: OrderError) -> str:
    """One line naming each refused field and why."""
    errors = getattr(exc, "errors", None)
    if errors:
        return "; ".join(f"{name}: {message}" for name, message in sorted(errors.items()))
    return str(exc.message)


def apply(drafts, channel: str, user, *, dry_run: bool = False, outcome: Outcome | None = None) -> Outcome:
    """Create an order per draft unless it exists or fails; count each (drafts may be a stream)."""
    outcome = outcome or Outcome()
    for draft in drafts:
        raw = draft.raw | {"channel": channel}
        if draft.problems:
            _fail(outcome, draft, "; ".join(draft.problems))
            continue
        taken = existing_order(channel, raw.get("external_id")) or (raw.get("external_id") in outcome.seen)
        outcome.seen.add(raw.get("external_id"))
        if taken:
            outcome.existing += 1
            outcome.orders[draft.line] = taken if isinstance(taken, str) else None
            continue
        try:
            order = _write(raw, draft.items, user, dry_run)
        except OrderError as exc:
            _fail(outcome, draft, error_text(exc))
            continue
        outcome.created += 1
        outcome.orders[draft.line] = order
    return outcome


def _write(raw, items, user, dry_run):
    if dry_run:
        savepoint = db.session.begin_nested()
        try:
            orders.submit_order(raw, items, actor=user, via=VIA)
        finally:
            savepoint.rollback()
        return None
    return txn.run(lambda: orders.submit_order(raw, items, actor=user, via=VIA), actor=user, via=VIA).order_no


def _fail(outcome: Outcome, draft: Draft, message: str) -> None:
    outcome.failed += 1
    outcome.errors.append((draft.line, message, draft.source[:RAW_LIMIT]))


def log_run(outcome: Outcome, *, channel: str, source: str, user, filename: str = "",
            dry_run: bool = False, started=None) -> IntakeRun:
    """Write the intake log entry of a run (with its failures) and commit it."""
    run = IntakeRun(channel=channel, source=source, filename=filename[:255], user_id=getattr(user, "id", None),
                    dry_run=dry_run, created=outcome.created, existing=outcome.existing, failed=outcome.failed,
                    started_at=started or utcnow(), finished_at=utcnow())
    run.errors = [IntakeError(line=line, message=message, raw=raw) for line, message, raw in outcome.errors[:1000]]
    db.session.add(run)
    db.session.commit()
    return run
