"""Webhook fixtures: a local receiver the app may reach, and endpoints registered through the service."""
import pytest

from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver(app):
    """A receiver on 127.0.0.1, allowed for outgoing calls (ORDERHUB_OUTBOUND_ALLOW)."""
    rx = Receiver()
    app.config["OUTBOUND_ALLOW"] = rx.allow
    yield rx
    rx.close()


@pytest.fixture
def endpoint(app, receiver, make_user):
    """endpoint(role, events=all, path) → (endpoint id, secret, user): an endpoint at the receiver."""
    from webapp.extensions import db
    from webapp.webhooks import services
    from webapp.webhooks.events import EVENTS

    def _make(role="admin", events=EVENTS, path="/hooks", regions=None):
        user = make_user(role, regions=regions)
        with app.app_context():
            ep, secret = services.create(receiver.url.replace("/hooks", path), events, user.username)
            db.session.commit()
            return ep.id, secret, user
    return _make
