"""API tokens: created by CLI or console (shown once, stored hashed), dead when revoked, expired or
their user disabled; cookies never authenticate the API; rate limited per token; audited."""
import hashlib
from datetime import timedelta

from sqlalchemy import select

from tests.access.helpers import admin_client, entries
from tests.api.conftest import Api
from webapp.api.models import ApiToken
from webapp.auth.models import User
from webapp.core.db import utcnow
from webapp.extensions import db


def test_cli_prints_the_token_last_and_stores_only_its_hash(app, runner, make_user):
    make_user("sales", "lisi")
    result = runner.invoke(args=["token", "create", "lisi", "--name", "erp", "--expires-days", "30"])
    assert result.exit_code == 0, result.output
    raw = result.output.strip().splitlines()[-1]
    assert raw.startswith("ohk_") and len(raw) >= 40
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.name == "erp" and raw.startswith(token.prefix)
        assert token.secret_hash == hashlib.sha256(raw.encode()).hexdigest() and raw not in token.secret_hash
        assert timedelta(days=29) < token.expires_at - utcnow() <= timedelta(days=30)
    assert [e.detail for e in entries(app, "token_created")] == [f"token={token.prefix} expires={token.expires_at.date()}"]


def test_cli_refuses_an_unknown_user(runner):
    result = runner.invoke(args=["token", "create", "nobody"])
    assert result.exit_code != 0 and "unknown user" in result.output


def test_a_valid_token_works_and_records_its_last_use(app, api_as):
    _user, api = api_as("manager")
    assert api.get("/api/v1/orders").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ApiToken.last_used_at)) is not None


def test_revoked_token_is_refused(app, api_as):
    _user, api = api_as("manager")
    with app.app_context():
        db.session.scalar(select(ApiToken)).revoked_at = utcnow()
        db.session.commit()
    resp = api.get("/api/v1/orders")
    assert resp.status_code == 401 and resp.get_json()["fields"] == ["Authorization"]
    assert resp.mimetype == "application/problem+json" and resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_is_refused(app, api_as):
    _user, api = api_as("manager", expires_days=1)
    with app.app_context():
        db.session.scalar(select(ApiToken)).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert api.get("/api/v1/orders").status_code == 401


def test_disabled_user_kills_the_token_at_once(app, api_as):
    user, api = api_as("manager")
    assert api.get("/api/v1/orders").status_code == 200
    with app.app_context():
        db.session.get(User, user.id).is_active_user = False
        db.session.commit()
    assert api.get("/api/v1/orders").status_code == 401


def test_wrong_secret_with_a_real_prefix_is_refused(client, api_as):
    _user, api = api_as("manager")
    forged = api.token[:-4] + ("AAAA" if not api.token.endswith("AAAA") else "BBBB")
    assert Api(client, forged).get("/api/v1/orders").status_code == 401
    assert client.get("/api/v1/orders", headers={"Authorization": "Basic eDp5"}).status_code == 401


def test_cookies_alone_never_authenticate_the_api(client, login_as):
    login_as("admin")
    assert client.get("/orders").status_code == 200  # the session works for pages
    resp = client.get("/api/v1/orders")
    assert resp.status_code == 401 and resp.mimetype == "application/problem+json"
    resp = client.post("/api/v1/orders", json={}, headers={"Idempotency-Key": "cookie-only-1"})
    assert resp.status_code == 401


def test_rate_limit_answers_429_with_retry_after(app, api_as):
    app.config["API_RATE_LIMIT"] = 3
    _user, api = api_as("manager")
    assert [api.get("/api/v1/products").status_code for _ in range(3)] == [200] * 3
    resp = api.get("/api/v1/products")
    assert resp.status_code == 429 and 1 <= int(resp.headers["Retry-After"]) <= 60
    assert resp.get_json()["error"] == "rate_limited"
    _other_user, other = api_as("manager")
    assert other.get("/api/v1/products").status_code == 200  # per token


def test_rate_limit_is_shared_through_redis_when_configured(app, api_as):
    app.config.update(API_RATE_LIMIT=2, REDIS_URL="redis://127.0.0.1:6379/15")
    _user, api = api_as("manager")
    codes = [api.get("/api/v1/products").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_rate_limit_falls_back_to_the_database_while_redis_is_down(app, api_as):
    app.config.update(API_RATE_LIMIT=2, REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    _user, api = api_as("manager")
    codes = [api.get("/api/v1/products").status_code for _ in range(3)]
    assert codes == [200, 200, 429]  # served, and still limited (counted in the database)


def test_admin_creates_lists_and_revokes_tokens_in_the_console(app, client, login_as, make_user):
    make_user("finance", "caiwu")
    admin_client(login_as, client)
    page = client.get("/admin").get_data(as_text=True)
    assert "/admin/tokens" in page
    resp = client.post("/admin/tokens", data={"username": "caiwu", "name": "ERP"})
    assert resp.status_code == 201
    raw = resp.get_data(as_text=True).split("data-new-token>")[1].split("<")[0]
    assert raw.startswith("ohk_")
    listing = client.get("/admin/tokens").get_data(as_text=True)
    assert raw[:12] in listing and raw not in listing and "ERP" in listing
    assert Api(client, raw).get("/api/v1/orders").status_code == 200
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    assert client.post(f"/admin/tokens/{token_id}/revoke").status_code == 302
    assert Api(client, raw).get("/api/v1/orders").status_code == 401
    assert [e.action for e in entries(app) if e.action.startswith("token_")] == ["token_created", "token_revoked"]
    assert all(raw[:12] in e.detail for e in entries(app) if e.action.startswith("token_"))


def test_token_console_needs_admin_and_a_fresh_second_verification(client, login_as):
    login_as("manager")
    assert client.get("/admin/tokens").status_code == 403
    client.post("/logout")
    admin_client(login_as, client, stepped_up=False)
    assert client.get("/admin/tokens").status_code == 200
    assert client.post("/admin/tokens", data={"username": "x"}).status_code == 401
