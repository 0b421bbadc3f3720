"""Robot admin page and `flask robot add`: admins only with step-up, URL and secret sealed, test message, deliveries."""
import pytest
from sqlalchemy import func, select

from tests.access.helpers import HTMX, admin_client
from tests.carriers.fake_robots import KEY, SECRET, TOKEN
from tests.notify.helpers import drain
from webapp.carriers.models import Robot
from webapp.extensions import db


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Robot.id)))


def _add(client, url, kind="dingtalk", secret=SECRET, events=("order.created",), regions=("east",)):
    return client.post("/admin/robots", data={"kind": kind, "url": url, "secret": secret, "events": list(events),
                                              "regions": list(regions), "audience_role": "warehouse", "name": "华东仓"})


@pytest.mark.parametrize("role", ["manager", "sales", "warehouse", "finance", "support"])
def test_only_admins_open_the_robot_pages(client, login_as, role):
    login_as(role)
    assert client.get("/admin/robots").status_code == 403


def test_adding_needs_a_second_verification(app, client, login_as, robots_api):
    admin_client(login_as, client, stepped_up=False)
    assert _add(client, robots_api.urls["dingtalk"]).status_code == 401
    assert _count(app) == 0


def test_admin_adds_a_robot_sends_a_test_and_sees_the_answer(app, client, login_as, robots_api):
    admin_client(login_as, client)
    resp = _add(client, robots_api.urls["dingtalk"])
    assert resp.status_code == 302
    with app.app_context():
        bot = db.session.scalar(select(Robot))
        assert TOKEN not in bot.url and SECRET not in (bot.secret or "")  # sealed, never plain
        rid = bot.id
    page = client.get(f"/admin/robots/{rid}").get_data(as_text=True)
    assert "华东仓" in page and TOKEN not in page and SECRET not in page
    listing = client.get("/admin/robots").get_data(as_text=True)
    assert "华东仓" in listing and "华东" in listing and TOKEN not in listing
    resp = client.post(f"/admin/robots/{rid}/test", headers=HTMX)
    assert resp.status_code == 200 and 'id="robot-alerts"' in resp.get_data(as_text=True)
    with app.app_context():
        drain()
    assert robots_api.accepted()[0]["kind"] == "dingtalk"
    listing = client.get(f"/admin/robots/{rid}", headers=HTMX).get_data(as_text=True)
    assert "HTTP 200" in listing


def test_a_wrong_secret_shows_the_vendors_error_on_the_page(app, client, login_as, robots_api):
    admin_client(login_as, client)
    _add(client, robots_api.urls["feishu"], kind="feishu", secret="wrong")
    with app.app_context():
        rid = db.session.scalar(select(Robot.id))
    client.post(f"/admin/robots/{rid}/test")
    with app.app_context():
        drain()
    assert "19021" in client.get(f"/admin/robots/{rid}").get_data(as_text=True)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "http://10.0.0.8/robot/send"])
def test_bad_urls_are_refused_with_a_reason(app, client, login_as, url):
    admin_client(login_as, client)
    assert _add(client, url).status_code == 422
    assert _count(app) == 0


def test_admin_disables_a_robot(app, client, login_as, robot):
    rid = robot()
    admin_client(login_as, client)
    client.post(f"/admin/robots/{rid}/active", data={"active": "0"})
    with app.app_context():
        assert db.session.get(Robot, rid).active is False


def test_cli_adds_a_robot(app, runner, robots_api):
    result = runner.invoke(args=["robot", "add", "wecom", robots_api.urls["wecom"], "--events",
                                 "order.created,order.overdue", "--region", "east", "--region", "north"])
    assert result.exit_code == 0, result.output
    assert KEY not in result.output
    with app.app_context():
        bot = db.session.scalar(select(Robot))
        assert (bot.kind, bot.event_list, bot.region_list) == ("wecom", ["order.created", "order.overdue"],
                                                               ["east", "north"])


@pytest.mark.parametrize("args", [
    ["pager", "URL", "--events", "order.created"],
    ["wecom", "URL", "--events", "order.exploded"],
    ["wecom", "URL", "--events", "order.created", "--region", "mars"],
    ["wecom", "URL", "--events", "order.created", "--audience", "pirate"],
    ["wecom", "http://10.0.0.8/x", "--events", "order.created"],
])
def test_cli_refuses_bad_input_with_a_message(app, runner, robots_api, args):
    args = [robots_api.urls["wecom"] if a == "URL" else a for a in args]
    result = runner.invoke(args=["robot", "add", *args])
    assert result.exit_code != 0 and "Error:" in result.output
    assert _count(app) == 0
