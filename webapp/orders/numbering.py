"""Order numbers people can read aloud: SO<yyyymmdd>-<nnnn>, allocated safely under concurrency."""
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite

from webapp.extensions import db
from webapp.orders.models import OrderSequence


def next_order_no(now: datetime, tz: str) -> str:
    """Allocate the next order number for the local day of `now` (one atomic upsert)."""
    from webapp.audit.services import hold_chain
    hold_chain()  # every creator takes the day's row, then appends to the audit chain: the chain's lock first
    day = now.astimezone(ZoneInfo(tz)).strftime("%Y%m%d")
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(OrderSequence).values(day=day, last=1)
    stmt = stmt.on_conflict_do_update(index_elements=["day"], set_={"last": OrderSequence.last + 1})
    number = db.session.execute(stmt.returning(OrderSequence.last)).scalar_one()
    return f"SO{day}-{number:04d}"
