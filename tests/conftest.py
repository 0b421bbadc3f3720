"""Fixtures: an app on a fresh, migrated database per test (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set), a client, a CLI runner and login_as(role)."""
import os
import shutil

import pytest
import sqlalchemy as sa

from tests import dbsetup
from webapp import create_app
from webapp.extensions import db

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def pytest_configure(config):
    """Refuse to run quietly without PostgreSQL when CI asks for it; hash test passwords cheaply."""
    if os.environ.get("REQUIRE_PG") == "1" and "postgresql" not in BACKENDS:
        pytest.exit("REQUIRE_PG=1 but TEST_DATABASE_URL is not set", returncode=3)
    # argon2id at production strength costs ~0.1 s per hash and per login; thousands of tests make users and
    # log in. Tests get the same algorithm with the smallest cost; `production_hasher` restores the real one.
    from argon2 import PasswordHasher
    from webapp.auth import services
    services._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    _compile_url_builders_once()


def _compile_url_builders_once() -> None:
    """Werkzeug compiles two URL-builder functions per rule for every app, half of create_app's time; the
    tests build thousands of apps from the same ~140 rules. A builder's code depends only on the rule's
    parsed trace, its defaults, its converters and append_unknown, so each is compiled once per process."""
    from werkzeug.routing.rules import Rule
    compile_builder, builders = Rule._compile_builder, {}

    def once(self, append_unknown=True):
        try:
            key = (self.rule, tuple(self._trace), repr(sorted((self.defaults or {}).items())), append_unknown,
                   tuple((name, type(conv).__name__, repr({k: v for k, v in vars(conv).items() if k != "map"})) for name, conv in self._converters.items()))
        except TypeError:
            return compile_builder(self, append_unknown)
        if key not in builders:
            builders[key] = compile_builder(self, append_unknown)
        return builders[key]

    Rule._compile_builder = once


@pytest.fixture
def production_hasher(monkeypatch):
    """Use the production argon2id parameters in this test."""
    from webapp.auth import services
    monkeypatch.setattr(services, "_hasher", services.PRODUCTION_HASHER)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """Migrate one SQLite file with the real Alembic revisions; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    dbsetup.migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_url(worker_id):
    """Create and migrate one PostgreSQL database per xdist worker."""
    if "postgresql" not in BACKENDS:
        pytest.skip("TEST_DATABASE_URL not set")
    url = dbsetup.worker_database(os.environ["TEST_DATABASE_URL"], worker_id)
    dbsetup.migrate(url)
    yield url
    dbsetup.drop_database(url)


@pytest.fixture(params=BACKENDS)
def backend(request):
    """Name the database backend this test runs on."""
    return request.param


@pytest.fixture
def database_url(backend, request, tmp_path):
    """Return a URL of a fresh database, migrated to the newest revision."""
    if backend == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_url")
    dbsetup.truncate(url)
    return url


@pytest.fixture
def app(database_url, tmp_path):
    """Create an app bound to a fresh database."""
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "AUDIT_ANCHOR_DIR": str(tmp_path / "audit-anchors"),
        "SERVER_NAME": "orderhub.test",
    })
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create a user: make_user(role, username=None, regions=None) → User (committed)."""
    from tests.factories import make_user as _make
    def _factory(role, username=None, regions=None, password="correct-horse-1"):
        with app.app_context():
            return _make(role, username, regions, password)
    return _factory


@pytest.fixture
def login_as(app, client, make_user):
    """Log the test client in as a new user of `role`; returns that user's username."""
    def _login(role, regions=None, username=None, c=None):
        user = make_user(role, username, regions)
        resp = (c or client).post("/login", data={"username": user.username, "password": "correct-horse-1"})
        assert resp.status_code == 302, resp.data[:500]
        return user
    return _login


@pytest.fixture(scope="module")
def s3_endpoint():
    """One local S3 service (moto) for a module's tests; each test makes its own bucket."""
    from tests.warehouse.s3server import s3_server
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_app(app, s3_endpoint):
    """The app keeping photos in a fresh bucket of the local S3 service; returns the bucket name."""
    from tests.warehouse.s3server import new_bucket, settings
    bucket = new_bucket(s3_endpoint)
    app.config.update(settings(s3_endpoint, bucket))
    return bucket
