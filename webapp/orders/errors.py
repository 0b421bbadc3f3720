"""Expected failures of order writes; each is an AppError, so any view answers it as page or JSON."""
from flask_babel import lazy_gettext as _l

from webapp.core.errors import AppError


class OrderError(AppError):
    """An order write that did not happen; `record` says the refusal belongs in the audit log."""

    record = False

    def __init__(self, status: int, message=None, code: str | None = None, fields=None, order_no=None):
        super().__init__(status, message, code, fields)
        self.order_no = order_no


class NotFound(OrderError):
    """No such order for this user (unknown, outside the user's scope, or deleted)."""

    def __init__(self, order_no=None):
        super().__init__(404, _l("This order does not exist or is not yours to see."), "not_found",
                         order_no=order_no)


class Invalid(OrderError):
    """Bad input; `errors` maps each field name (items-0-quantity, …) to its message."""

    def __init__(self, errors: dict):
        super().__init__(422, _l("Some of what you entered is not valid."), "invalid", fields=sorted(errors))
        self.errors = errors


class Forbidden(OrderError):
    """The actor may not write these fields or take this step; recorded as a refused write."""

    record = True

    def __init__(self, message, fields=(), order_no=None, code: str = "forbidden"):
        super().__init__(403, message, code, fields=list(fields), order_no=order_no)


class Conflict(OrderError):
    """A stale version or a lost race: somebody else changed the order first."""

    def __init__(self, message, order_no=None):
        super().__init__(409, message, "conflict", order_no=order_no)


class StepRefused(OrderError):
    """A transition that is not possible now (skipped step, rule, missing evidence or reason)."""

    record = True

    def __init__(self, refusal, order_no=None):
        super().__init__(refusal.status, refusal.message, refusal.code, fields=refusal.missing,
                         order_no=order_no)
