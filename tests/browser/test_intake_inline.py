"""A salesperson fixes unclear 接龙 lines in place on a tablet (1024 px) and a phone (390 px), then confirms
them with the rest (screenshots under test-artifacts/screenshots/)."""
import pytest
from sqlalchemy import select

from tests.browser.conftest import login, screenshot, small_targets
from tests.intake.cases import catalogue

pytestmark = pytest.mark.browser

LIST = ("#接龙 周末水果团\n"
        "1. 小王 桔子2箱 13800000001 浙江省杭州市西湖区文三路1号\n"
        "2. 阿花 桔子1箱 1380000000 浙江省杭州市西湖区文三路2号\n"   # 10-digit phone
        "3. Lily 3箱 13800000003 浙江省杭州市西湖区文三路3号\n"       # no item named
        "4. 老张 桔子2箱 13800000004 浙江省杭州市西湖区文三路4号\n")


def _context(browser, playwright_session, kind):
    if kind == "tablet":
        return browser.new_context(viewport={"width": 1024, "height": 768}, is_mobile=True, has_touch=True,
                                   device_scale_factor=2, locale="zh-CN")
    phone = playwright_session.devices["Pixel 7"] | {"viewport": {"width": 390, "height": 844}}
    return browser.new_context(**phone, locale="zh-CN")


def _seed(live_server):
    from webapp.extensions import db
    from webapp.intake.models import ItemAlias
    from webapp.orders import services
    with live_server.app.app_context():
        for sku, name, price, cost in catalogue()["products"]:
            services.create_product(sku, name, price, cost)
        db.session.add(ItemAlias(alias="桔子", sku="JU-5KG"))
        db.session.commit()


def _fix(page, line: int, shot: str, **fields):
    row = page.locator(f"[data-testid=preview-row][data-line='{line}']")
    row.locator("[data-testid=line-edit]").click()
    editor = page.locator(f"[data-testid=line-editor][data-line='{line}']")
    editor.wait_for()
    assert small_targets(page) == []
    for name, value in fields.items():
        if name == "sku":
            editor.locator("select[name=sku]").first.select_option(value)
        else:
            editor.locator(f"input[name={name}]").fill(value)
    screenshot(page, shot)
    editor.locator("[data-testid=line-save]").click()
    page.locator(f"[data-testid=preview-row][data-line='{line}'] [data-testid=line-fixed]").wait_for()


@pytest.mark.parametrize("kind", ["tablet", "phone"])
def test_fix_unclear_lines_in_place_then_confirm(live_server, browser, playwright_session, kind):
    from webapp.extensions import db
    from webapp.orders.models import Order
    _seed(live_server)
    live_server.user("sales", username="wangfang")
    context = _context(browser, playwright_session, kind)
    page = context.new_page()
    try:
        login(page, live_server.url, "wangfang")
        page.goto(live_server.url + "/intake")
        page.fill("[data-testid=jielong-text]", LIST)
        page.click("text=预览")
        page.wait_for_selector("[data-testid=intake-confirm]")
        assert page.locator("tr.unclear").count() == 2
        assert "10 位" in page.inner_text("[data-line='2']")
        screenshot(page, f"intake-inline-{kind}-preview")
        assert small_targets(page) == []
        # A wrong fix is refused in place and names the field.
        page.locator("[data-line='2'] [data-testid=line-edit]").click()
        editor = page.locator("[data-testid=line-editor][data-line='2']")
        editor.locator("input[name=customer_phone]").fill("12345")
        editor.locator("[data-testid=line-save]").click()
        page.locator("[data-testid=line-editor][data-line='2'] .error").wait_for()
        editor.locator("input[name=customer_phone]").fill("13800000002")
        editor.locator("[data-testid=line-save]").click()
        page.locator("[data-line='2'] [data-testid=line-fixed]").wait_for()
        _fix(page, 3, f"intake-inline-{kind}-editing", sku="JU-5KG")
        count = page.evaluate("getComputedStyle(document.querySelector('.ready-count'), '::after').content")
        assert count in ('counter(ready)', '"4"') or "4" in count
        screenshot(page, f"intake-inline-{kind}-fixed")
        page.click("[data-testid=intake-confirm]")
        page.wait_for_selector("[data-testid=intake-outcome]")
        assert "新建 4 单" in page.inner_text("[data-testid=intake-outcome]")
        screenshot(page, f"intake-inline-{kind}-confirmed")
    finally:
        context.close()
    with live_server.app.app_context():
        phones = sorted(o.customer_phone[-4:] for o in db.session.scalars(select(Order)))
        assert phones == ["0001", "0002", "0003", "0004"]


CSV = ("单据,买家,联系方式,收货信息,货品,件\n"
       "B-1,王小明,13800000011,浙江省杭州市西湖区文三路11号,JU-5KG,2\n"
       "B-2,李四,1380000001,浙江省杭州市西湖区文三路12号,JU-5KG,1\n"
       "B-3,赵六,13800000013,浙江省杭州市西湖区文三路13号,JU-5KG,1\n").encode("utf-8")
FIELDS = ["external_id", "customer_name", "customer_phone", "address", "sku", "quantity"]


def test_upload_maps_columns_then_the_background_job_shows_progress_in_place(live_server, browser,
                                                                             playwright_session):
    from webapp.extensions import db
    from webapp.intake import importjobs
    from webapp.intake.models import ImportJob
    _seed(live_server)
    live_server.app.config["IMPORT_UI_MAX_ROWS"] = 1  # every file here goes to the worker
    live_server.user("sales", username="wangfang")
    context = _context(browser, playwright_session, "tablet")
    page = context.new_page()
    try:
        login(page, live_server.url, "wangfang")
        page.goto(live_server.url + "/intake")
        page.set_input_files("[data-testid=intake-file]",
                             files=[{"name": "shop.csv", "mimeType": "text/csv", "buffer": CSV}])
        page.click("text=上传")
        page.wait_for_selector("[data-testid=intake-mapping]")
        for position, name in enumerate(FIELDS):
            page.select_option(f"select[name=col-{position}]", name)
        assert small_targets(page) == []
        screenshot(page, "intake-upload-mapping-tablet")
        page.click("[data-testid=mapping-import]")
        page.wait_for_selector("[data-testid=intake-job][data-state=queued]")
        screenshot(page, "intake-upload-job-queued-tablet")
        with live_server.app.app_context():
            assert importjobs.run(db.session.scalar(select(ImportJob.id)))  # what the worker does
        page.wait_for_selector("[data-testid=intake-job][data-state=done]", timeout=15_000)  # the poll saw it
        assert "新建 2 单" in page.inner_text("[data-testid=intake-outcome]")
        assert page.locator("[data-testid=job-errors-file]").is_visible()
        screenshot(page, "intake-upload-job-done-tablet")
    finally:
        context.close()
