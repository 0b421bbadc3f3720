"""Fill a migrated database fast with N realistic orders (lines, customers, first transition) for benchmarks.

Bypasses the write service on purpose (no audit entries): SQLite gets plain executemany in one
transaction, PostgreSQL gets COPY. Order numbers, regions and money follow the app's own rules.
"""
import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from webapp.demo.seed import CARRIERS, CHANNELS, CITIES, GIVEN, PRODUCTS, STATE_WEIGHTS, STREETS, SURNAMES
from webapp.orders.regions import PROVINCE_REGION
from webapp.orders.services import compute_totals

ORDER_COLS = ("id", "order_no", "channel", "external_id", "customer_id", "customer_name", "customer_phone",
              "address", "region", "salesperson_id", "status", "discount", "shipping_fee", "total_amount",
              "cost_total", "profit", "carrier", "tracking_no", "outbound_at", "notes", "version", "created_at",
              "updated_at", "state_changed_at", "deleted_at")
LINE_COLS = ("order_id", "position", "sku", "name", "unit_price", "quantity", "unit_cost")
STEP_COLS = ("order_id", "from_state", "to_state", "actor_id", "via", "reason", "at")
CUSTOMER_COLS = ("id", "name", "phone", "address", "created_at")
CHUNK = 20_000
RECOUNT = ("INSERT INTO order_counts (status, region, channel, salesperson_id, n) "
           "SELECT status, COALESCE(region, ''), channel, COALESCE(salesperson_id, 0), count(*) "
           "FROM orders WHERE deleted_at IS NULL GROUP BY status, region, channel, salesperson_id")


def _customers(n: int, rng: random.Random, now: datetime):
    for cid in range(1, n + 1):
        province = rng.choice(list(CITIES))
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        address = f"{province}{rng.choice(CITIES[province])}{rng.choice(STREETS)}{rng.randint(1, 999)}号"
        yield (cid, name, f"+861{rng.choice('3578')}{cid:09d}", address, now)


def customers_for(n: int, days: int = 365) -> list[tuple]:
    """Return the customer rows for n orders (a third as many customers as orders)."""
    return list(_customers(max(1, n // 3), random.Random(7), datetime.now(timezone.utc) - timedelta(days=days)))


def generate(n: int, salespeople: list[int], customers: list[tuple], seed: int = 7, days: int = 365):
    """Yield (order, lines, first step) row tuples for n orders, oldest first."""
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    states, weights = [s for s, _ in STATE_WEIGHTS], [w for _, w in STATE_WEIGHTS]
    products = [(sku, name, Decimal(p), Decimal(c)) for sku, name, p, c in PRODUCTS]
    start = now - timedelta(days=days)
    step = timedelta(days=days) / n
    per_day: dict[str, int] = {}
    for oid in range(1, n + 1):
        # Batches of 5 orders share one timestamp so keyset paging is exercised on ties.
        at = (start + step * (oid - oid % 5)).replace(microsecond=0)
        day = (at + timedelta(hours=8)).strftime("%Y%m%d")
        per_day[day] = per_day.get(day, 0) + 1
        cust = customers[rng.randrange(len(customers))]
        picked = rng.sample(products, rng.randint(1, 3))
        lines = [(oid, i, sku, name, price, rng.randint(1, 4), cost) for i, (sku, name, price, cost) in enumerate(picked)]
        status = rng.choices(states, weights)[0]
        discount = min(Decimal(rng.choice([0, 0, 0, 5, 10])), sum(ln[4] * ln[5] for ln in lines))
        shipping = Decimal(rng.choice(["0", "8", "12"]))
        totals = compute_totals([{"unit_price": ln[4], "unit_cost": ln[6], "quantity": ln[5]} for ln in lines],
                                discount, shipping)
        shipped = status in ("outbound", "in_transit", "completed")
        carried = status in ("in_transit", "completed")
        province = next(p for p in PROVINCE_REGION if cust[3].startswith(p))
        order = (oid, f"SO{day}-{per_day[day]:04d}", rng.choice(CHANNELS), None, cust[0], cust[1], cust[2], cust[3],
                 PROVINCE_REGION[province], rng.choice(salespeople), status, discount, shipping, totals.total_amount,
                 totals.cost_total, totals.profit, rng.choice(CARRIERS) if carried else None,
                 f"SF{oid:012d}" if carried else None, at + timedelta(hours=6) if shipped else None, "", 1,
                 at, at, at, None)
        yield order, lines, (oid, None, status, None, "system", "", at)


def _sqlite_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def fill_sqlite(path: str, n: int, salespeople: list[int]) -> None:
    """Insert n orders into the SQLite file at path (one transaction, executemany in chunks)."""
    import sqlite3
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    customers = customers_for(n)
    conn.executemany(_insert("customers", CUSTOMER_COLS), [tuple(map(_sqlite_value, c)) for c in customers])
    orders, lines, steps = [], [], []
    for order, order_lines, first in generate(n, salespeople, customers):
        orders.append(tuple(map(_sqlite_value, order)))
        lines += [tuple(map(_sqlite_value, ln)) for ln in order_lines]
        steps.append(tuple(map(_sqlite_value, first)))
        if len(orders) >= CHUNK:
            _flush_sqlite(conn, orders, lines, steps)
            orders, lines, steps = [], [], []
    _flush_sqlite(conn, orders, lines, steps)
    conn.execute(RECOUNT)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def _insert(table: str, cols) -> str:
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"


def _flush_sqlite(conn, orders, lines, steps) -> None:
    conn.executemany(_insert("orders", ORDER_COLS), orders)
    conn.executemany(_insert("order_lines", LINE_COLS), lines)
    conn.executemany(_insert("order_transitions", STEP_COLS), steps)


def fill_postgres(url: str, n: int, salespeople: list[int]) -> None:
    """COPY n orders into the PostgreSQL database at url, then ANALYZE."""
    import psycopg
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    customers = customers_for(n)
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        _copy(cur, "customers", CUSTOMER_COLS, customers)
        lines, steps = [], []
        with cur.copy(f"COPY orders ({', '.join(ORDER_COLS)}) FROM STDIN") as copy:
            for order, order_lines, first in generate(n, salespeople, customers):
                copy.write_row(order)
                lines += order_lines
                steps.append(first)
        _copy(cur, "order_lines", LINE_COLS, lines)
        _copy(cur, "order_transitions", STEP_COLS, steps)
        cur.execute(RECOUNT)
        for table in ("orders", "customers"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def _copy(cur, table: str, cols, rows) -> None:
    with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
