"""The 接龙 paste screen: who may use it, preview, confirm, re-paste adds only new lines, the log."""
from sqlalchemy import select

from webapp.extensions import db
from webapp.orders.models import Order

LIST = ("#接龙 周末沙糖桔\n1. 小王 桔子2箱 13800138001 浙江省杭州市滨江区江南大道1号\n"
        "2. 阿花 桔子1箱 1380013800 浙江省杭州市余杭区文一西路9号\n")
MORE = LIST + "3. Lily 桔子3箱 13800138003 浙江省杭州市拱墅区湖墅南路7号\n"


def test_only_intake_roles_may_paste(client, login_as):
    login_as("warehouse")
    assert client.get("/intake").status_code == 403
    assert client.post("/intake/preview", data={"text": LIST}).status_code == 403


def test_preview_confirm_and_repaste(app, client, login_as, catalogue):
    login_as("sales")
    assert client.get("/intake").status_code == 200
    page = client.post("/intake/preview", data={"text": LIST}, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "沙糖桔 ×2" in page and 'class="unclear"' in page and "intake-confirm" in page
    assert "<html" not in page  # an htmx fragment
    done = client.post("/intake/confirm", data={"text": LIST}, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "intake-outcome" in done
    with app.app_context():
        assert [o.customer_name for o in db.session.scalars(select(Order))] == ["小王"]
    again = client.post("/intake/preview", data={"text": MORE}).get_data(as_text=True)
    assert again.count('data-testid="preview-row"') == 3 and "<html" in again
    client.post("/intake/confirm", data={"text": MORE})
    with app.app_context():
        assert sorted(o.customer_name for o in db.session.scalars(select(Order))) == ["Lily", "小王"]
    log = client.get("/intake").get_data(as_text=True)
    assert log.count("wechat_group · jielong") == 2
    assert "<pre" not in log  # raw payloads only for admins


def test_empty_paste(client, login_as):
    login_as("sales")
    page = client.post("/intake/preview", data={"text": "   "}).get_data(as_text=True)
    assert 'role="alert"' in page


def test_admin_sees_raw_lines(client, login_as, catalogue):
    login_as("admin")
    client.post("/intake/confirm", data={"text": LIST})
    assert "<pre class=\"raw\">2. 阿花" in client.get("/intake").get_data(as_text=True)


def _upload(client, content: bytes, name="orders.csv", **form):
    import io
    data = {"channel": "shop", "file": (io.BytesIO(content), name)} | form
    return client.post("/intake/upload", data=data, content_type="multipart/form-data")


CSV = ("客户,电话,地址,商品编码,数量\n王小明,13800138000,浙江省杭州市西湖区文三路90号,QC-5KG,2\n"
       "李四,1380013800,浙江省杭州市西湖区文三路91号,QC-5KG,1\n").encode("utf-8")


def test_upload_dry_run_then_import(app, client, login_as, catalogue):
    from webapp.intake.models import ImportJob
    login_as("sales")
    assert "intake-file" in client.get("/intake").get_data(as_text=True)
    mapping = _upload(client, CSV, dry_run="1").get_data(as_text=True)
    assert "intake-mapping" in mapping  # the first file of its kind: confirm the guessed columns
    with app.app_context():
        job_id = db.session.scalar(select(ImportJob.id))
    columns = {"col-0": "customer_name", "col-1": "customer_phone", "col-2": "address", "col-3": "sku",
               "col-4": "quantity"}
    page = client.post(f"/intake/jobs/{job_id}/start", data=columns | {"dry_run": "1"}).get_data(as_text=True)
    assert "新建 1 单" in page and "customer_phone" in page and "试运行" in page
    with app.app_context():
        assert db.session.scalars(select(Order)).all() == []
    _upload(client, CSV, dry_run="0")  # remembered mapping: imported at once
    _upload(client, CSV, dry_run="0")
    with app.app_context():
        assert [o.channel for o in db.session.scalars(select(Order))] == ["shop"]


def test_upload_refusals(app, client, login_as, catalogue):
    login_as("sales")
    assert _upload(client, b"hello", name="orders.txt").status_code == 422
    assert _upload(client, CSV, channel="nope").status_code == 422
