"""Notify fixtures: a local push service, devices subscribed for users, order steps that emit events."""
import pytest

from tests.notify.pushservice import PushService


@pytest.fixture(autouse=True)
def push_config(app, tmp_path_factory):
    """Let pushes reach the local push service (ORDERHUB_OUTBOUND_ALLOW) and keep the VAPID key out of instance/."""
    app.config["OUTBOUND_ALLOW"] = "127.0.0.1"
    app.config["VAPID_KEY_FILE"] = str(tmp_path_factory.getbasetemp() / "vapid_private.pem")


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()


@pytest.fixture
def subscribe(app, push_service):
    """subscribe(user, name) → Device: register a device for the user as the subscriptions endpoint would."""
    from webapp.extensions import db
    from webapp.notify import services

    def _subscribe(user, name=None):
        device = push_service.device(name or f"{user.username}-{len(push_service.devices)}")
        with app.app_context():
            services.subscribe(db.session.merge(user), device.to_json(), "Mozilla/5.0 (Linux; Android 14) Chrome/130")
            db.session.commit()
        return device
    return _subscribe
