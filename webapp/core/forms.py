"""One admin or user change per request, as one transaction, with the refusal shown on the form."""
from webapp.extensions import db


def attempt(write, field) -> tuple[bool, object]:
    """Run write() and commit: (True, result). A refusal (ValueError) is rolled back and its reason
    put on the form `field`, for the caller to show the form again: (False, None)."""
    try:
        result = write()
    except ValueError as exc:
        db.session.rollback()
        field.errors.append(str(exc))
        return False, None
    db.session.commit()
    return True, result
