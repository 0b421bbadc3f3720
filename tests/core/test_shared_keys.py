"""Keys every host must share come from configuration or the database, never from one host's instance/."""
import threading

import flask
import pytest

import webapp
from webapp.core.appsecrets import get_or_create
from webapp.extensions import db
from webapp.notify import vapid


@pytest.fixture
def host_app(database_url):
    """host_app(instance) → an app with its own instance/ directory on this test's database (another host)."""
    made = []

    def _make(instance) -> flask.Flask:
        class Host(flask.Flask):
            def auto_find_instance_path(self) -> str:
                return str(instance)
        webapp.Flask = Host
        try:
            made.append(webapp.create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url}))
        finally:
            webapp.Flask = flask.Flask
        return made[-1]
    yield _make
    for one in made:
        with one.app_context():
            db.engine.dispose()


@pytest.fixture(autouse=True)
def no_key_settings(monkeypatch):
    """Start without any VAPID setting and with an empty key cache."""
    for name in ("VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY", "ORDERHUB_VAPID_PRIVATE_KEY", "ORDERHUB_VAPID_PUBLIC_KEY"):
        monkeypatch.delenv(name, raising=False)
    vapid._cache.clear()
    yield
    vapid._cache.clear()


def test_two_hosts_on_one_database_get_the_same_vapid_key(host_app, tmp_path):
    first, second = host_app(tmp_path / "a"), host_app(tmp_path / "b")
    key = vapid.public_key(first)
    vapid._cache.clear()  # the second host is another process: nothing cached
    assert vapid.public_key(second) == key and len(key) == 87
    assert not list((tmp_path / "a").glob("vapid*")) and not list((tmp_path / "b").glob("vapid*"))


def test_a_key_an_older_version_left_in_instance_is_adopted(host_app, tmp_path):
    from py_vapid import Vapid02
    old = Vapid02()
    old.generate_keys()
    (tmp_path / "old").mkdir()
    old.save_key(str(tmp_path / "old" / "vapid_private.pem"))
    host = host_app(tmp_path / "old")
    assert vapid.vapid(host).private_pem() == old.private_pem()  # subscriptions made with it keep working


def test_the_configured_key_wins(app, monkeypatch):
    from py_vapid import Vapid02
    given = Vapid02()
    given.generate_keys()
    monkeypatch.setenv("ORDERHUB_VAPID_PRIVATE_KEY", given.private_pem().decode())
    assert vapid.vapid(app).private_pem() == given.private_pem()


def test_racing_hosts_store_one_secret(app):
    results, made = [], []

    def make():
        value = f"candidate-{threading.get_ident()}"
        made.append(value)
        return value

    def race():
        with app.app_context():
            results.append(get_or_create("race-test", make))
    threads = [threading.Thread(target=race) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(results) == 6 and len(set(results)) == 1 and results[0] in made


def test_a_generated_secret_key_with_a_shared_database_is_warned_about(tmp_path, monkeypatch):
    from webapp import config
    said = []
    monkeypatch.setattr(config.log, "warning", lambda message, *args: said.append(message % args if args else message))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://orderhub@db-host/orderhub")
    config.build_config(str(tmp_path))
    assert len(said) == 1 and "SECRET_KEY is not set" in said[0]
    monkeypatch.setenv("SECRET_KEY", "the-same-on-every-host")
    assert config.build_config(str(tmp_path))["SECRET_KEY"] == "the-same-on-every-host"
    assert len(said) == 1
