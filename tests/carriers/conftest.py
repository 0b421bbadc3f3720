"""Carrier fixtures: the fake robot APIs the app may reach, and robots added through the service."""
import pytest

from tests.carriers.fake_robots import SECRET, FakeRobots


@pytest.fixture
def robots_api(app):
    """The fake WeCom/DingTalk/Feishu APIs on 127.0.0.1, allowed for outgoing calls."""
    fake = FakeRobots()
    app.config["OUTBOUND_ALLOW"] = fake.allow
    yield fake
    fake.close()


@pytest.fixture
def robot(app, robots_api):
    """robot(kind, events, regions, audience, secret) → robot id, added at the fake."""
    from webapp.carriers.robots import services
    from webapp.extensions import db

    def _make(kind="wecom", events=("order.created",), regions=(), audience="warehouse", secret=SECRET):
        with app.app_context():
            bot = services.add(kind, robots_api.urls[kind], events, regions, audience_role=audience,
                               secret=None if kind == "wecom" else secret)
            db.session.commit()
            return bot.id
    return _make


@pytest.fixture
def kuaidi100(app):
    """The fake 快递100 on 127.0.0.1, configured as the app's tracking aggregator."""
    from tests.carriers.fake_kuaidi100 import CUSTOMER, KEY, SALT, FakeKuaidi100

    fake = FakeKuaidi100()
    app.config.update(OUTBOUND_ALLOW=fake.url.split("//")[1], KUAIDI100_KEY=KEY, KUAIDI100_CUSTOMER=CUSTOMER,
                      KUAIDI100_SALT=SALT, KUAIDI100_URL=fake.url, BASE_URL="https://shop.example.cn")
    yield fake
    fake.close()
