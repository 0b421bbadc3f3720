"""Per-token rate limit, a fixed window of one minute (webapp.core.ratewindow: Redis when REDIS_URL is
set, else the database). Both stores are shared by every app process, so the limit holds with several
workers."""
from flask import current_app

from webapp.api.models import RateWindow
from webapp.core.ratewindow import seconds_to_wait

REDIS_KEY = "orderhub:api:rate:{prefix}"  # the prefix is random: no clash between databases


def hit(token_id: int, prefix: str, now: float | None = None) -> int | None:
    """Count one request of a token; return the seconds to wait when it is over the limit, else None."""
    return seconds_to_wait(current_app.config["API_RATE_LIMIT"], REDIS_KEY.format(prefix=prefix), RateWindow,
                           "token_id", token_id, now)
