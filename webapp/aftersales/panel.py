"""What the order page shows of after-sales for the current user: cases, inquiries, the two-tap form."""
from flask_login import current_user

from webapp.access.policy import policy_for
from webapp.aftersales import inquiries, photos, services
from webapp.vocab import INQUIRY_REASONS


def for_order(order_id: int) -> dict:
    """Return the panel's data for an order the user already sees (empty when their role has neither area)."""
    policy = policy_for(current_user)
    may_cases, may_log = policy.can("aftersales") or policy.can("refund_review"), policy.can("inquiries")
    return {"may_cases": may_cases, "may_open": policy.can("aftersales"), "may_log": may_log,
            "see_photos": may_cases and photos.may_view(policy),
            "cases": services.cases_of(order_id) if may_cases else [],
            "inquiries": inquiries.inquiries_of(order_id) if may_log else [], "reasons": INQUIRY_REASONS}
