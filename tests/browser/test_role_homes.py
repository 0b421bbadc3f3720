"""Each role logs in on a Pixel 7 and lands on its home screen; every tap target is ≥ 48 × 48 px."""
import pytest

from tests.browser.conftest import login, screenshot, small_targets

HOME_TEXT = {"warehouse": "我的任务", "sales": "我的订单", "finance": "订单看板", "manager": "订单看板",
             "support": "订单看板", "admin": "订单看板"}


@pytest.mark.parametrize("role", sorted(HOME_TEXT))
def test_role_home_on_phone(live_server, phone, role):
    live_server.user(role, username=f"demo_{role}")
    login(phone, live_server.url, f"demo_{role}")
    assert phone.url == live_server.url + "/"
    assert HOME_TEXT[role] in phone.inner_text("main")
    assert phone.get_attribute("html", "lang") == "zh-CN"
    shot = screenshot(phone, f"home-{role}")
    assert shot.stat().st_size > 1000
    assert small_targets(phone) == []


def test_login_page_targets_are_big_enough(live_server, phone):
    phone.goto(live_server.url + "/login")
    assert small_targets(phone) == []
    screenshot(phone, "login")


def test_wrong_password_shows_message_and_keeps_username(live_server, phone):
    live_server.user("sales", username="wang")
    login(phone, live_server.url, "wang", password="wrong-password")
    assert "用户名或密码错误" in phone.inner_text("main")
    assert phone.input_value("input[name=username]") == "wang"
