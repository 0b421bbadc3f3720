"""Translated names of case kinds, case states and inquiry reasons (codes live in webapp.vocab)."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

KIND_LABELS = {"return": _l("Return"), "exchange": _l("Exchange"), "wrong_item": _l("Wrong item"),
               "missing_item": _l("Missing item"), "damaged": _l("Damaged"), "refund_only": _l("Refund only")}
# "Open" alone is the verb in another domain's catalog (catalogs are merged): the state has a context.
STATE_LABELS = {"open": lazy_pgettext("case state", "Open"), "approved": _l("Approved"),
                "goods_received": _l("Goods received"), "refunded": _l("Refunded"), "resent": _l("Resent"),
                "closed": _l("Closed")}
REASON_LABELS = {"where_is_my_order": _l("Where is my order?"), "change_order": _l("Change the order"),
                 "product_question": _l("Product question"), "complaint": _l("Complaint"), "other": _l("Other")}


def case_kind_label(code: str) -> str:
    """Return the name of a case kind."""
    return str(KIND_LABELS.get(code, code))


def case_state_label(code: str) -> str:
    """Return the name of a case state."""
    return str(STATE_LABELS.get(code, code))


def inquiry_reason_label(code: str) -> str:
    """Return the name of an inquiry reason."""
    return str(REASON_LABELS.get(code, code))
