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


@pytest.fixture
def carriers_api(app):
    """The fake 顺丰 and 菜鸟 waybill APIs on 127.0.0.1, allowed for outgoing calls (no adapter chosen yet)."""
    from tests.carriers.fake_waybills import CN_SECRET, CN_TOKEN, SF_CHECKWORD, SF_PARTNER, FakeCarriers

    fake = FakeCarriers()
    app.config.update(OUTBOUND_ALLOW=fake.host, SF_PARTNER_ID=SF_PARTNER, SF_CHECKWORD=SF_CHECKWORD,
                      SF_URL=fake.sf_url, CAINIAO_TOKEN=CN_TOKEN, CAINIAO_SECRET=CN_SECRET, CAINIAO_CP_CODE="YTO",
                      CAINIAO_URL=fake.cn_url, SHIP_FROM_NAME="杭州小店", SHIP_FROM_PHONE="0571-88886666",
                      SHIP_FROM_ADDRESS="浙江省杭州市西湖区文三路 90 号")
    yield fake
    fake.close()


@pytest.fixture(params=["sf", "cainiao"])
def waybill_vendor(request, app, carriers_api):
    """Each waybill adapter in turn, set up against the fakes: (kind, fake, its requests list)."""
    app.config["WAYBILL_CARRIER"] = request.param
    return request.param, carriers_api, carriers_api.sf_requests if request.param == "sf" else carriers_api.cn_requests
