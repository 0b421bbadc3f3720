"""Marketplace pull from a fake 微信小店: orders land once, the cursor persists and resumes, failures back off."""
import time
from datetime import timedelta

from sqlalchemy import func, select

from tests.intake.fake_platform import order, platform, wxshop  # noqa: F401 (fixtures)
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.intake.models import Channel, IntakeError, IntakeRun
from webapp.intake.pull import runner
from webapp.intake.pull.models import PullRef, PullState
from webapp.orders.models import Order

LIST = "/channels/ec/order/list/get"


def _orders(app) -> dict:
    with app.app_context():
        return {o.external_id: o for o in db.session.scalars(select(Order))}


def _state(app) -> PullState:
    with app.app_context():
        state = db.session.scalar(select(PullState))
        db.session.expunge(state)
        return state


def _pull(app, now=None):
    with app.app_context():
        channel = db.session.scalar(select(Channel).where(Channel.code == "wxshop"))
        run = runner.pull_now(channel, now=now)
        return run.outcome


def test_pull_creates_orders_once_and_repull_creates_nothing(app, runner, platform, wxshop):
    at = int(time.time()) - 10
    platform.add(order("3701", at), order("3702", at + 1, sku="GG-5KG", qty=1), order("3703", at + 2))
    first = runner.invoke(args=["channel", "pull", "wxshop"])
    assert first.exit_code == 0, first.output
    assert first.output.strip().splitlines()[-1] == "created 3, updated 0, skipped 0, failed 0"
    again = runner.invoke(args=["channel", "pull", "wxshop"])  # the same orders are listed again (overlap)
    assert again.output.strip().splitlines()[-1] == "created 0, updated 0, skipped 3, failed 0"
    orders = _orders(app)
    assert sorted(orders) == ["3701", "3702", "3703"]
    with app.app_context():
        got = db.session.scalar(select(Order).where(Order.external_id == "3702"))
        assert (got.channel, got.customer_phone, got.salesperson.username) == ("wxshop", "+8613800138000", "shopbot")
        assert got.address == "浙江省杭州市西湖区文三路90号" and [(ln.sku, ln.quantity) for ln in got.lines] == [("GG-5KG", 1)]
        runs = db.session.scalars(select(IntakeRun).where(IntakeRun.source == "pull").order_by(IntakeRun.id)).all()
        assert [(r.created, r.existing, r.failed) for r in runs] == [(3, 0, 0), (0, 3, 0)]


def test_cursor_is_persisted_after_each_page_and_resumes(app, platform, wxshop):
    at = int(time.time()) - 10
    platform.add(*(order(f"38{i}", at + i) for i in range(3)))  # two pages: 2 + 1
    platform.fail_later[LIST] = [1, 502]  # page 1 is answered, page 2 meets a 502
    broken = _pull(app)
    assert (broken.created, broken.failed) == (2, 1) and "HTTP 502" in broken.errors[-1][1]
    stuck = _state(app)
    assert (stuck.page_key, stuck.failures) == ("2", 1) and stuck.window_end is not None
    assert "502" in stuck.last_error
    listed = len(platform.calls(LIST))
    resumed = _pull(app)
    assert (resumed.created, resumed.existing, resumed.failed) == (1, 0, 0)
    assert platform.calls(LIST)[listed]["next_key"] == "2"  # it went on from the page that failed
    assert len(_orders(app)) == 3
    done = _state(app)
    assert (done.page_key, done.window_end, done.failures) == ("", None, 0) and done.cursor > stuck.cursor


def test_failures_back_off_and_a_good_run_restores_the_interval(app, platform, wxshop):
    platform.down = True
    now = utcnow()
    with app.app_context():
        assert runner.run_due(now) == 1
        state = db.session.scalar(select(PullState))
        assert state.failures == 1 and state.next_run_at == now + timedelta(minutes=1)
        assert runner.run_due(now + timedelta(seconds=30)) == 0  # waiting out the backoff
        assert runner.run_due(now + timedelta(seconds=61)) == 1
        db.session.refresh(state)
        assert state.failures == 2 and state.next_run_at == now + timedelta(seconds=61) + timedelta(minutes=2)
        platform.down = False
        later = now + timedelta(minutes=4)
        assert runner.run_due(later) == 1
        db.session.refresh(state)
        assert state.failures == 0 and state.next_run_at == later + timedelta(minutes=5) and state.last_error == ""
        runs = db.session.scalars(select(IntakeRun).where(IntakeRun.source == "pull").order_by(IntakeRun.id)).all()
        assert [r.failed for r in runs] == [1, 1, 0]
        assert "HTTP 503" in runs[0].errors[0].message


def test_expired_token_and_a_busy_platform_are_retried(app, platform, wxshop):
    at = int(time.time()) - 10
    platform.add(order("3901", at))
    assert _pull(app).created == 1
    platform.add(order("3902", at + 1))
    platform.expire()  # the cached token is no longer valid: errcode 40001
    platform.busy = 1  # and the platform is busy once: errcode -1
    outcome = _pull(app)
    assert (outcome.created, outcome.failed) == (1, 0)
    assert platform.tokens_issued == 2


def test_bad_order_is_logged_with_its_payload_and_the_others_are_created(app, platform, wxshop):
    at = int(time.time()) - 10
    platform.add(order("4001", at), order("4002", at + 1, sku="NOPE-1"), order("4003", at + 2, phone=""),
                 order("4004", at + 3))
    outcome = _pull(app)
    assert (outcome.created, outcome.failed) == (2, 2)
    assert sorted(_orders(app)) == ["4001", "4004"]
    with app.app_context():
        errors = db.session.scalars(select(IntakeError).order_by(IntakeError.line)).all()
        assert "NOPE-1" in errors[0].message and '"order_id": "4002"' in errors[0].raw
        assert "customer_phone" in errors[1].message and '"order_id": "4003"' in errors[1].raw
        assert db.session.scalar(select(func.count()).select_from(PullRef)) == 2  # nothing half-written


def test_a_changed_order_is_updated_and_a_cancelled_one_cancelled(app, platform, wxshop):
    at = int(time.time()) - 20
    platform.add(order("4101", at), order("4102", at), order("4103", at + 1, status=10))  # 4103 unpaid yet
    first = _pull(app)
    assert (first.created, first.existing) == (2, 1)
    platform.add(order("4101", at + 5, detail="文一路1号"), order("4102", at + 5, status=250))
    second = _pull(app)
    assert (second.updated, second.failed) == (2, 0), second.errors
    orders = _orders(app)
    assert orders["4101"].address.endswith("文一路1号") and orders["4102"].status == "cancelled"
    assert "4103" not in orders


def test_an_order_gone_from_the_platform_is_logged_and_the_run_goes_on(app, platform, wxshop):
    at = int(time.time()) - 10
    platform.add(order("4201", at), order("4203", at + 2))
    platform.ghosts["4202"] = at + 1  # listed, but order/get answers errcode 10020026
    outcome = _pull(app)
    assert (outcome.created, outcome.failed) == (2, 1)
    assert "4202" in outcome.errors[0][1] and "10020026" in outcome.errors[0][1]
    assert _state(app).failures == 0


def test_a_wrong_app_secret_fails_the_run_and_keeps_the_cursor(app, platform, wxshop):
    platform.add(order("4301", int(time.time()) - 10))
    with app.app_context():
        channel = db.session.scalar(select(Channel).where(Channel.code == "wxshop"))
        from webapp.webhooks import keys
        channel.secret = keys.seal("wrong-secret")
        db.session.commit()
    outcome = _pull(app)
    assert outcome.created == 0 and "40125" in outcome.errors[-1][1]
    state = _state(app)
    assert state.failures == 1 and state.page_key == "" and _orders(app) == {}


def test_pull_soon_makes_the_channel_due_before_its_interval(app, platform, wxshop):
    now = utcnow()
    with app.app_context():
        assert runner.run_due(now) == 1
        assert runner.run_due(now + timedelta(minutes=1)) == 0  # the next run is 5 minutes away
        runner.pull_soon(db.session.scalar(select(Channel).where(Channel.code == "wxshop")))
        assert runner.run_due(utcnow() + timedelta(seconds=1)) == 1


def test_the_intake_log_shows_pull_runs_with_updates_and_raw_payloads_for_admins(app, client, login_as, platform, wxshop):
    at = int(time.time()) - 20
    platform.add(order("4401", at), order("4402", at, sku="NOPE-2"))
    _pull(app)
    platform.add(order("4401", at + 5, detail="文一路2号"))
    _pull(app)
    login_as("admin")
    page = client.get("/intake").get_data(as_text=True)
    assert "wxshop · pull" in page and "更新 1 单。" in page and "NOPE-2" in page and "o-buyer-4402" in page


def test_channel_commands_refuse_what_they_cannot_connect_or_pull(runner, make_user):
    make_user("sales", "shopbot")
    assert runner.invoke(args=["channel", "add", "mm", "--label", "手工"]).exit_code == 0
    manual = runner.invoke(args=["channel", "platform", "mm", "--adapter", "wechat_shop", "--app-secret", "x"])
    assert manual.exit_code != 0 and "only pull and push channels" in manual.output
    no_user = runner.invoke(args=["channel", "add", "pp", "--label", "拉取", "--kind", "pull"])
    assert no_user.exit_code != 0 and "needs --user" in no_user.output
    assert runner.invoke(args=["channel", "add", "pp", "--label", "拉取", "--kind", "pull", "--user", "shopbot"]).exit_code == 0
    unknown = runner.invoke(args=["channel", "platform", "pp", "--adapter", "nope", "--app-secret", "x"])
    assert unknown.exit_code != 0 and "wechat_shop" in unknown.output
    unset = runner.invoke(args=["channel", "pull", "pp"])
    assert unset.exit_code != 0 and "no marketplace adapter" in unset.output
