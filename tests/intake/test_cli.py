"""`flask channel add`, `flask import jielong` and `flask import orders`: counts, idempotency, bad input."""
from sqlalchemy import func, select

from tests.intake.cases import FIXTURES
from webapp.extensions import db
from webapp.orders.models import Order

LIST = (FIXTURES / "jielong_cases.txt").read_text(encoding="utf-8").split("=== many-lines\n")[1].split("--- expect")[0]


def _orders(app, **where):
    with app.app_context():
        stmt = select(Order).filter_by(**where).order_by(Order.id)
        return list(db.session.scalars(stmt))


def test_channel_add_and_unknown_channel(app, runner, seller, tmp_path):
    path = tmp_path / "list.txt"
    path.write_text(LIST, encoding="utf-8")
    result = runner.invoke(args=["import", "jielong", str(path), "--channel", "douyin", "--user", "xiaoshou"])
    assert result.exit_code != 0
    assert "unknown channel 'douyin'" in result.output and "wechat_group" in result.output
    result = runner.invoke(args=["channel", "add", "douyin", "--label", "抖音小店"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["channel", "add", "douyin", "--label", "x"]).exit_code != 0
    assert runner.invoke(args=["channel", "add", "Bad Code!", "--label", "x"]).exit_code != 0
    with app.app_context():
        from webapp.intake import channels
        assert "douyin" in channels.known() and channels.accepts("douyin")


def test_import_jielong_is_idempotent(app, runner, catalogue, seller, tmp_path):
    path = tmp_path / "list.txt"
    path.write_text(LIST, encoding="utf-8")
    args = ["import", "jielong", str(path), "--channel", "wechat_group", "--user", "xiaoshou"]
    dry = runner.invoke(args=args + ["--dry-run"])
    assert dry.output.strip().splitlines()[-1] == "created 6, existing 0, failed 0", dry.output
    assert _orders(app) == []
    first = runner.invoke(args=args)
    assert first.output.strip().splitlines()[-1] == "created 6, existing 0, failed 0", first.output
    again = runner.invoke(args=args)
    assert again.output.strip().splitlines()[-1] == "created 0, existing 6, failed 0", again.output
    made = _orders(app, channel="wechat_group")
    assert len(made) == 6 and made[0].salesperson_id == seller.id
    assert [ln.quantity for ln in made[2].lines] == [3] and made[2].customer_phone == "+8613800138102"
    with app.app_context():
        from webapp.audit.models import AuditEntry
        vias = set(db.session.scalars(select(AuditEntry.via).where(AuditEntry.action == "create")))
    assert vias == {"intake"}


def test_import_jielong_reports_bad_lines(app, runner, catalogue, seller, tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("#接龙\n1. 小王 桔2箱 1370013700 浙江省宁波市鄞州区钱湖路5号\n"
                    "2. 小李 榴莲1个 13800138000 浙江省杭州市西湖区文三路1号\n"
                    "3. 小张 桔1箱 13800138001 浙江省杭州市西湖区文三路2号\n", encoding="utf-8")
    result = runner.invoke(args=["import", "jielong", str(path), "--channel", "wechat_group", "--user", "xiaoshou"])
    lines = result.output.strip().splitlines()
    assert lines[-1] == "created 1, existing 0, failed 2", result.output
    assert lines[0].startswith("line 1:") and lines[1].startswith("line 2:")
    with app.app_context():
        from webapp.intake.models import IntakeRun
        run = db.session.scalars(select(IntakeRun)).one()
        assert (run.channel, run.created, run.failed) == ("wechat_group", 1, 2)
        assert "榴莲" in run.errors[1].raw


def test_import_jielong_without_order_lines(runner, seller, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("大家好\n", encoding="utf-8")
    result = runner.invoke(args=["import", "jielong", str(path), "--channel", "wechat_group", "--user", "xiaoshou"])
    assert result.exit_code != 0 and "no numbered order lines" in result.output


def test_import_uses_the_acting_users_permissions(app, runner, catalogue, make_user, tmp_path):
    make_user("warehouse", "cangguan")
    path = tmp_path / "list.txt"
    path.write_text(LIST, encoding="utf-8")
    result = runner.invoke(args=["import", "jielong", str(path), "--channel", "wechat_group", "--user", "cangguan"])
    assert result.output.strip().splitlines()[-1] == "created 0, existing 0, failed 6", result.output
    assert _orders(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 0


def test_order_validation_accepts_added_channels_only(app, runner, catalogue, seller):
    from webapp.orders import services
    from webapp.orders.errors import Invalid
    raw = {"customer_name": "王", "customer_phone": "13800138000", "address": "浙江省杭州市西湖区文三路1号"}
    items = [{"sku": "QC-5KG", "quantity": 1}]
    with app.app_context():
        try:
            services.submit_order(raw | {"channel": "douyin"}, items, actor=None, via="intake")
            raise AssertionError("an unknown channel was accepted")
        except Invalid as exc:
            assert "channel" in exc.errors
        db.session.rollback()
    runner.invoke(args=["channel", "add", "douyin", "--label", "抖音小店"])
    with app.app_context():
        order = services.submit_order(raw | {"channel": "douyin"}, items, actor=None, via="intake")
        assert order.channel == "douyin"
