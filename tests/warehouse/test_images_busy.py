"""The busy answer while every picture slot is taken: 503 with Retry-After and a message saying what to do."""
import pytest

from tests.warehouse.conftest import plain_jpeg, upload
from webapp.warehouse import images


@pytest.fixture
def all_slots_taken(app):
    """Hold this process's only picture slot for the test (nothing waits long for it)."""
    app.config.update(IMAGE_CONCURRENCY=1, IMAGE_WAIT=0.01)
    slot = images._slot_for(1)
    assert slot.acquire(timeout=5)
    yield
    slot.release()


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_a_photo_sent_while_busy_gets_503_with_retry_after(app, client, login_as, new_order, all_slots_taken, accept):
    login_as("warehouse", regions=["east"])
    no = new_order()
    resp = client.post(f"/orders/{no}/photos", data={"photo": upload(plain_jpeg())}, headers={"Accept": accept})
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == str(images.BUSY_RETRY_AFTER)
    body = resp.get_json() if accept == "application/json" else {"message": resp.get_data(as_text=True)}
    assert "请 5 秒后再发送" in body["message"] and "还没有保存" in body["message"]  # what to do, and nothing saved
    if accept == "application/json":
        assert body["error"] == "busy"
