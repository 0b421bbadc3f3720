"""The order state machine as data: who may take which step, with what evidence, under what rule.

Every path that changes an order's state (form, htmx, API, offline replay, system job) goes through
webapp.orders.services.transition(), which asks refusal() here; nothing else decides.
"""
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from webapp.access.policy import policy_for
from webapp.vocab import EARLY_STATES, STEPS as STEP_PAIRS, step_action  # noqa: F401 (EARLY_STATES: public)

DEFAULT_APPROVAL_LIMIT = Decimal("50000.00")


@dataclass(frozen=True)
class Step:
    """One allowed transition: from-state, to-state, evidence, rule, automatic flag.

    Who may take it is not here: it is the matrix action `action` (vocab.step_action), data an
    admin edits per role. The system actor (actor=None) may take any step.
    """

    source: str
    target: str
    evidence: tuple = ()       # names of the proof this step needs
    rule: str | None = None    # a named condition that must hold (see RULES)
    automatic: bool = False    # the system may take it on its own (carrier sync, auto-approval)
    needs_reason: bool = False

    @property
    def action(self) -> str:
        return step_action(self.source, self.target)


_DETAILS = {
    ("pending_payment", "confirmed"): {"rule": "below_approval_limit"},
    ("pending_payment", "awaiting_approval"): {"rule": "needs_approval"},
    ("in_production", "outbound"): {"evidence": ("scan", "photo")},
    ("outbound", "in_transit"): {"evidence": ("carrier", "tracking_no"), "automatic": True},
    ("awaiting_approval", "pending_payment"): {"needs_reason": True},  # a rejection (webapp.approvals)
    ("in_transit", "completed"): {"automatic": True},
}
STEPS = tuple(Step(a, b, **_DETAILS.get((a, b), {"needs_reason": True} if b == "cancelled" else {}))
              for a, b in STEP_PAIRS)

EVIDENCE_LABELS = {
    "scan": _l("a scan of the order's QR code"),
    "photo": _l("at least one photo"),
    "carrier": _l("a carrier"),
    "tracking_no": _l("a tracking number"),
}
RULE_LABELS = {
    "below_approval_limit": _l("Orders of %(limit)s or more need approval first."),
    "needs_approval": _l("Orders under %(limit)s do not need approval."),
}


class Refusal(Exception):
    """Why a step cannot be taken: a code, an HTTP status and a user-facing message."""

    def __init__(self, code: str, status: int, message, missing=()):
        super().__init__(str(message))
        self.code, self.status, self.message, self.missing = code, status, message, list(missing)


def approval_limit() -> Decimal:
    """Return the amount from which an order needs approval (config APPROVAL_LIMIT)."""
    if has_app_context():
        return Decimal(str(current_app.config["APPROVAL_LIMIT"]))
    return DEFAULT_APPROVAL_LIMIT


def goods_value(order) -> Decimal:
    """Return what is really at stake: the goods before discount (never the total after it)."""
    return sum((ln.unit_price * ln.quantity for ln in order.lines), Decimal("0.00"))


# Whether an order needs approval: fn(order) → bool. The approvals domain installs its rules as data
# (register_approval); without it the goods value is compared with APPROVAL_LIMIT.
APPROVAL: dict[str, Callable] = {"needs": lambda order: goods_value(order) >= approval_limit()}
# Further conditions on steps: fn(order, target, actor) → Refusal | None (risk holds, approval chains).
GATES: list[Callable] = []

RULES: dict[str, Callable] = {
    "below_approval_limit": lambda order: not APPROVAL["needs"](order),
    "needs_approval": lambda order: APPROVAL["needs"](order),
}


def register_approval(needs: Callable) -> None:
    """Install the function that says whether an order needs approval (rules as data)."""
    APPROVAL["needs"] = needs


def register_gate(gate: Callable) -> None:
    """Add a condition every step must pass: gate(order, target, actor) → Refusal or None."""
    if gate not in GATES:
        GATES.append(gate)


def _gate_refusal(order, target: str, actor):
    return next((r for r in (gate(order, target, actor) for gate in GATES) if r), None)


def _fields_present(*names):
    """Build an evidence provider that needs these order fields filled in."""
    return lambda order: [n for n in names if not (getattr(order, n, None) or "").strip()]


def _missing_scan_and_photo(order):
    """Refuse outbound until the warehouse domain registers a provider that can prove it."""
    return ["scan", "photo"]


# Providers per target state: fn(order) → names of the evidence still missing.
EVIDENCE: dict[str, Callable] = {
    "outbound": _missing_scan_and_photo,
    "in_transit": _fields_present("carrier", "tracking_no"),
}


def register_evidence(target: str, provider: Callable) -> None:
    """Install the provider that says what evidence a step to `target` still lacks."""
    EVIDENCE[target] = provider


def step_between(source: str, target: str) -> Step | None:
    """Return the step from source to target, or None when there is no such step."""
    return next((s for s in STEPS if s.source == source and s.target == target), None)


def may(actor, action: str) -> bool:
    """Say whether the actor may take a matrix action (a step, approve, delete, restore …).

    Everything a role may do is a matrix cell; a missing cell is a refusal. The system may do all.
    """
    if actor is None:
        return True
    return policy_for(actor).can(action)


def allowed(step: Step, actor) -> bool:
    """Say whether the actor's role holds the matrix action of this step."""
    return may(actor, step.action)


def _rule_refusal(step: Step, order):
    if step.rule and not RULES[step.rule](order):
        limit = f"¥{approval_limit():,.2f}"
        return Refusal("rule", 422, RULE_LABELS[step.rule] % {"limit": limit})
    return None


def refusal(order, target: str, actor, view=None, reason: str = "") -> Refusal | None:
    """Return why `actor` may not move `order` to `target` now (None when it may).

    `view` is the order as it would be with the fields supplied in the same request (for evidence).
    """
    step = step_between(order.status, target)
    if step is None:
        return Refusal("skip", 422, _l("An order cannot go from %(a)s to %(b)s.",
                                       a=_state(order.status), b=_state(target)))
    if not allowed(step, actor):
        return Refusal("role", 403, _l("Your role may not move an order to %(b)s.", b=_state(target)))
    found = _gate_refusal(order, target, actor) or _rule_refusal(step, order)
    if found:
        return found
    if step.needs_reason and not (reason or "").strip():
        return Refusal("reason", 422, _l("Give a reason for cancelling."))
    missing = EVIDENCE[target](view or order) if step.evidence else []
    if missing:
        names = ", ".join(str(EVIDENCE_LABELS.get(m, m)) for m in missing)
        return Refusal("evidence", 422, _l("Missing evidence: %(names)s.", names=names), missing)
    return None


def next_steps(order, actor) -> list[Step]:
    """Return the steps this actor's role may take from the order's state whose rules hold."""
    return [s for s in STEPS if s.source == order.status and allowed(s, actor)
            and (s.rule is None or RULES[s.rule](order)) and not _gate_refusal(order, s.target, actor)]


def _state(state: str) -> str:
    from webapp.core.labels import state_label
    return state_label(state)
