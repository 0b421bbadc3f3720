"""A TOTP code is accepted once, also when the same code arrives on many connections at the same moment."""
import threading
import time

import pyotp
import pytest

from tests.access.helpers import PASSWORD
from webapp.auth.models import User
from webapp.auth.services import claim_totp_step
from webapp.extensions import db

RACERS = 8


def _enrolled(app, make_user) -> tuple[User, str]:
    user = make_user("sales", "wang")
    secret = pyotp.random_base32()
    with app.app_context():
        db.session.get(User, user.id).totp_secret = secret
        db.session.commit()
    return user, secret


def test_a_time_step_is_claimed_once_and_only_forward(app, make_user):
    user, _secret = _enrolled(app, make_user)
    with app.app_context():
        fresh = db.session.get(User, user.id)
        assert [claim_totp_step(fresh, c) for c in (100, 100, 99, 101)] == [True, False, False, True]
        db.session.commit()
        assert db.session.get(User, user.id).totp_last_counter == 101


def test_the_same_code_sent_concurrently_passes_once(app, make_user, backend):
    _user, secret = _enrolled(app, make_user)
    clients = [app.test_client() for _ in range(RACERS)]
    for c in clients:
        assert c.post("/login", data={"username": "wang", "password": PASSWORD}).status_code == 302
    code = pyotp.TOTP(secret).now()
    start, results = threading.Barrier(RACERS), []

    def race(c):
        start.wait()
        results.append(c.post("/account/stepup", data={"code": code, "next": "/"}).status_code)

    threads = [threading.Thread(target=race, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == RACERS
    assert results.count(302) == 1, (backend, results)
    assert set(results) - {302} <= {401, 429}


@pytest.mark.parametrize("later", [False, True])
def test_a_used_code_is_refused_and_a_later_one_passes(app, client, make_user, later):
    _user, secret = _enrolled(app, make_user)
    client.post("/login", data={"username": "wang", "password": PASSWORD})
    totp = pyotp.TOTP(secret)
    code = totp.now()
    assert client.post("/account/stepup", data={"code": code}).status_code == 302
    again = totp.at(time.time() + 30) if later else code
    assert client.post("/account/stepup", data={"code": again}).status_code == (302 if later else 401)
