"""Login page and home page latency through gunicorn (p50/p95 over 500 requests) and SQL per page."""
from bench.common import count_queries, gunicorn, latency, login, seeded_sqlite, table

ROLES = ["warehouse", "sales", "finance", "manager", "support", "admin"]
N = 500


def sql_per_page(url: str) -> dict:
    """Count SQL statements per home page for each role, in process with the test client."""
    from webapp import create_app
    from webapp.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        engine = db.engine  # requests below run in their own app contexts, as in production
    counts = {}
    for role in ROLES:
        client = app.test_client()
        client.post("/login", data={"username": role, "password": "orderhub-demo"})
        client.get("/")  # warm caches
        with count_queries(engine) as n:
            client.get("/")
        counts[role] = n[0]
    with count_queries(engine) as n:
        app.test_client().get("/login")
    counts["login"] = n[0]
    return counts


def main() -> None:
    """Seed 2,000 demo orders, then time /login and each role's / through gunicorn (2 workers)."""
    url = seeded_sqlite(2000)
    queries = sql_per_page(url)
    rows = []
    with gunicorn(url) as base:
        import requests
        anon = requests.Session()
        r = latency(anon, base + "/login", N)
        rows.append(["GET /login", "-", f"{r['p50']:.1f}", f"{r['p95']:.1f}", queries["login"], r["status"]])
        for role in ROLES:
            r = latency(login(base, role), base + "/", N)
            rows.append([f"GET / (home)", role, f"{r['p50']:.1f}", f"{r['p95']:.1f}", queries[role], r["status"]])
    print(f"SQLite, 2,000 demo orders, gunicorn 2 workers × 4 threads, {N} sequential requests each")
    print(table(rows, ["page", "role", "p50 ms", "p95 ms", "SQL/page", "status"]))
