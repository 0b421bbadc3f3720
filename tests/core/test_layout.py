"""The base layout: CSRF header for htmx, Vary: HX-Request, role home screens."""
import re

import pytest

HOME_MARKERS = {
    "warehouse": ["我的任务", "待出库", "扫码"],
    "sales": ["我的订单", "新建订单"],
    "finance": ["订单看板"],
    "manager": ["订单看板"],
    "support": ["订单看板"],
    "admin": ["订单看板"],
}


@pytest.mark.parametrize("role", sorted(HOME_MARKERS))
def test_each_role_lands_on_its_home_screen(client, login_as, role):
    login_as(role)
    page = client.get("/").get_data(as_text=True)
    for marker in HOME_MARKERS[role]:
        assert marker in page, (role, marker)


def test_home_varies_on_hx_request(client, login_as):
    login_as("sales")
    resp = client.get("/")
    assert "HX-Request" in resp.headers.get("Vary", "")


def test_body_carries_csrf_header_for_htmx(client, login_as):
    login_as("sales")
    page = client.get("/").get_data(as_text=True)
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


def test_htmx_served_locally(client):
    page = client.get("/login").get_data(as_text=True)
    assert re.search(r'"/static/vendor/htmx-2\.0\.11\.min\.[0-9a-f]{10}\.js"', page)  # content-hashed name
    assert "http://" not in page.split("<body")[0] and "https://" not in page.split("<body")[0]


def test_anonymous_home_redirects_to_login(client):
    resp = client.get("/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
