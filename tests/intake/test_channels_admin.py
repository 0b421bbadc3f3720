"""The channels screen in the admin console: admins only with step-up, add / edit (settings JSON checked),
a push channel's secret shown once and rotated, every change audited; the board filters by added channels."""
import pytest
from sqlalchemy import func, select

from tests.access.helpers import admin_client, entries
from webapp.extensions import db
from webapp.intake.models import Channel
from webapp.webhooks import keys

NEW = {"code": "jd_shop", "label": "京东店", "kind": "file", "settings": "{}", "user_id": "0", "active": "y"}


def _channel(app, code="jd_shop") -> Channel:
    with app.app_context():
        channel = db.session.scalar(select(Channel).where(Channel.code == code))
        db.session.expunge_all()
        return channel


@pytest.mark.parametrize("role", ["manager", "sales", "warehouse", "finance", "support"])
def test_only_admins_open_the_channels_screen(client, login_as, role):
    login_as(role)
    assert client.get("/intake/channels").status_code == 403


def test_adding_needs_a_second_verification(app, client, login_as):
    admin_client(login_as, client, stepped_up=False)
    assert client.get("/intake/channels").status_code == 200
    assert client.post("/intake/channels", data=NEW).status_code == 401
    assert _channel(app) is None


def test_admin_lists_builtins_adds_a_channel_and_it_is_audited(app, client, login_as):
    admin_client(login_as, client)
    listing = client.get("/intake/channels").get_data(as_text=True)
    assert "wechat_group" in listing and "shop" in listing
    assert "/intake/channels" in client.get("/admin").get_data(as_text=True)  # linked from the console
    resp = client.post("/intake/channels", data=NEW)
    assert resp.status_code == 302 and resp.location.endswith("/intake/channels/jd_shop")
    assert _channel(app).label == "京东店"
    added = entries(app, "channel_added")
    assert len(added) == 1 and added[0].new == "jd_shop" and "kind=file" in added[0].detail


@pytest.mark.parametrize("settings, message", [("[1, 2]", "JSON"), ("{nope", "JSON"),
                                               ('{"adapter": "no-such"}', "no-such")])
def test_bad_settings_are_refused_and_nothing_changes(app, client, login_as, settings, message):
    admin_client(login_as, client)
    resp = client.post("/intake/channels", data=NEW | {"settings": settings})
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _channel(app) is None and entries(app, "channel_added") == []


def test_bad_code_and_duplicate_are_refused(app, client, login_as):
    admin_client(login_as, client)
    assert client.post("/intake/channels", data=NEW | {"code": "JD Shop!"}).status_code == 422
    assert client.post("/intake/channels", data=NEW | {"code": "shop"}).status_code == 422  # built in, active
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Channel).where(Channel.builtin.is_(False))) == 0


def test_edit_a_channel_and_deactivate_it(app, client, login_as):
    admin_client(login_as, client)
    client.post("/intake/channels", data=NEW)
    edit = NEW | {"label": "京东旗舰店", "settings": '{"note": "每日对账"}'}
    edit.pop("active")
    assert client.post("/intake/channels/jd_shop", data=edit).status_code == 302
    channel = _channel(app)
    assert (channel.label, channel.active, channel.settings) == ("京东旗舰店", False, '{"note": "每日对账"}')
    changed = entries(app, "channel_changed")[-1]
    assert "active=False" in changed.detail and "label=京东旗舰店" in changed.detail


def test_a_builtin_channel_stays_active(app, client, login_as):
    admin_client(login_as, client)
    resp = client.post("/intake/channels/shop", data={"label": "网店", "kind": "manual", "settings": "{}",
                                                      "user_id": "0"})
    shop = _channel(app, "shop")  # seeded by the migration (a PostgreSQL test database empties it)
    assert resp.status_code == 422 and "内置渠道不能停用" in resp.get_data(as_text=True) and (shop is None or shop.active)


def _sealed_secret(app, code="jd_shop") -> tuple[str, str]:
    with app.app_context():
        sealed = db.session.scalar(select(Channel.secret).where(Channel.code == code))
        return sealed, keys.unseal(sealed)


def test_push_channel_secret_is_shown_once_sealed_and_rotated(app, client, login_as, make_user):
    admin_client(login_as, client)
    with app.app_context():
        uid = make_user("sales", "shop_robot").id
    page = client.post("/intake/channels", data=NEW | {"kind": "push", "user_id": str(uid)}).get_data(as_text=True)
    sealed, secret = _sealed_secret(app)
    assert secret.startswith("whsec_") and secret in page and secret not in sealed
    assert secret not in client.get("/intake/channels/jd_shop").get_data(as_text=True)  # shown once
    rotated = client.post("/intake/channels/jd_shop/secret").get_data(as_text=True)
    _sealed, new = _sealed_secret(app)
    assert new != secret and new in rotated
    audit = entries(app, "channel_secret_rotated")
    assert len(audit) == 1 and new not in (audit[0].detail or "") and new not in (audit[0].new or "")


def test_push_channel_needs_its_service_user(app, client, login_as):
    admin_client(login_as, client)
    assert client.post("/intake/channels", data=NEW | {"kind": "push"}).status_code == 422
    assert _channel(app) is None


def test_board_channel_filter_lists_active_added_channels(app, client, login_as):
    admin_client(login_as, client)
    client.post("/intake/channels", data=NEW)
    board = client.get("/orders").get_data(as_text=True)
    assert '<option value="jd_shop"' in board and "京东店" in board and '<option value="wechat_group"' in board
    assert 'value="jd_shop" selected' in client.get("/orders?channel=jd_shop").get_data(as_text=True)
    off = NEW | {"settings": "{}"}
    off.pop("active")
    client.post("/intake/channels/jd_shop", data=off)
    assert '<option value="jd_shop"' not in client.get("/orders").get_data(as_text=True)


def test_pull_now_is_offered_for_pull_channels_and_says_why_it_cannot_run(app, client, login_as, make_user):
    admin_client(login_as, client)
    with app.app_context():
        uid = make_user("sales", "market_robot").id
    client.post("/intake/channels", data=NEW | {"kind": "pull", "user_id": str(uid)})
    page = client.get("/intake/channels/jd_shop").get_data(as_text=True)
    assert 'data-testid="channel-pull"' in page and 'data-testid="channel-rotate"' not in page
    resp = client.post("/intake/channels/jd_shop/pull", follow_redirects=True)
    assert resp.status_code == 200 and "adapter" in resp.get_data(as_text=True)  # no adapter set: said so
    assert entries(app, "channel_pulled") == []
