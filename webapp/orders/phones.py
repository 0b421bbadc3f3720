"""Phone numbers normalised to E.164, +86 by default (the functions live in webapp.core.phones)."""
from webapp.core.phones import local_display, mask_phone, normalize_phone  # noqa: F401  (the orders domain's names)
