"""How approvals and risk hook into the order write service (statemachine gates, order events).

- An order entering awaiting_approval gets its chain recorded (the rules as they stand then).
- A money change (lines, discount, shipping fee) on a waiting order restarts its chain; on a confirmed
  order it is refused when it brings in a rule not yet approved.
- Leaving awaiting_approval another way (cancelled) closes the open request.
- A new order from people or channels is screened by the risk rules.
"""
from flask_babel import lazy_gettext as _l

from webapp.approvals import alerts, holds, services
from webapp.approvals.rules import chain_for, rule_name
from webapp.orders.errors import Invalid
from webapp.orders.statemachine import Refusal
from webapp.vocab import CONFIRMED_ON, REJECT_STEP

MONEY_CHANGES = ("items", "discount", "shipping_fee", "total_amount")


def approval_gate(order, target: str, actor) -> Refusal | None:
    """The approval chain decides confirming a waiting order; only the chain sends one back."""
    if order.id is None:
        return None
    if (order.status, target) == REJECT_STEP and actor is not None:
        return Refusal("approval", 422, _l("Reject on the approval screen, with a reason."))
    if order.status == "pending_payment" and target == "confirmed":
        chain = chain_for(order)
        if chain:
            return Refusal("rule", 422, _l("This order needs approval first: %(why)s.",
                                           why="; ".join(rule_name(r) for r in chain.rules)))
    if order.status == "awaiting_approval" and target == "confirmed":
        request, level = services.pending_level(order)
        if level is not None:
            return Refusal("approval", 422, _l("Level %(n)d of %(m)d (%(who)s) has not approved yet.",
                                               n=request.current_level + 1, m=len(request.chain),
                                               who=services.level_label(level)))
    return None


def on_order_change(event) -> None:
    """React to an order change inside its transaction."""
    order = event.order
    if event.kind == "created" and event.via != "system":
        holds.screen(order, via=event.via, new=True)
    if event.kind == "created" and order.status == "awaiting_approval" or \
            event.kind == "transition" and event.to_state == "awaiting_approval":  # created so: demo data, imports
        request = services.start(order, actor=event.actor, via=event.via)
        if request is not None:
            alerts.level_waiting(order, request)
    elif event.kind == "transition" and event.from_state == "awaiting_approval":
        request = services.open_request(order)
        if request is not None:
            services.close(request, "cancelled" if event.to_state == "cancelled" else "closed")
    elif event.kind == "changed" and order.status == "awaiting_approval" \
            and any(k in event.changes for k in MONEY_CHANGES):
        services.restart(order, actor=event.actor, via=event.via)
    elif event.kind == "changed" and order.status in CONFIRMED_ON and any(k in event.changes for k in MONEY_CHANGES):
        refuse_unapproved_change(order, event.changes)
    elif event.kind == "changed" and "address" in event.changes and event.via != "system" \
            and order.status in ("pending_payment", "awaiting_approval"):
        holds.screen(order, via=event.via, kinds=("vague_address",))


def refuse_unapproved_change(order, changes: dict) -> None:
    """A money change on a confirmed order that a rule not yet approved now catches is refused (422).

    There is no way back from confirmed to approval, so the change must not land: a ¥3.3 million order
    approved at full price cannot be discounted to ¥0 afterwards.
    """
    chain = chain_for(order)
    if not chain:
        return
    approved = services.latest_request(order)
    granted = set(approved.rules.split(",")) if approved is not None and approved.status == "approved" else set()
    new = [r for r in chain.rules if r.code not in granted]
    if new:
        field = next(k for k in MONEY_CHANGES if k in changes)
        raise Invalid({field: _l("This change would need approval (%(why)s), but the order is already confirmed.",
                                 why="; ".join(rule_name(r) for r in new))})
