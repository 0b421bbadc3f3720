"""`/metrics`: the named series, labelled by route rule, and only for allowed clients or the token."""
from datetime import timedelta

from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.notify.models import OutboxMessage


def _series(text: str, name: str) -> dict:
    """Return {label text: value} of one metric's samples in a text exposition."""
    found = {}
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            labels, _, value = line[len(name):].rpartition(" ")
            found[labels] = float(value)
    return found


def _outbox(app, status, minutes_old, medium="push"):
    with app.app_context():
        at = utcnow() - timedelta(minutes=minutes_old)
        db.session.add(OutboxMessage(key=f"test-{status}-{minutes_old}", medium=medium, topic="t", payload="{}",
                                     status=status, next_attempt_at=at, created_at=at))
        db.session.commit()


def test_metrics_expose_latency_queue_and_login_series(app, client):
    _outbox(app, "pending", 10)
    _outbox(app, "failed", 60, medium="webhook")
    _outbox(app, "held", 30, medium="sms")  # held after a restore: not depth, its own series
    client.post("/login", data={"username": "nobody-here", "password": "wrong-password"})
    client.get("/orders/SO20260101-0001")
    text = client.get("/metrics").get_data(as_text=True)

    latency = _series(text, "orderhub_http_request_duration_seconds_count")
    assert any('route="/orders/<order_no>"' in k for k in latency), latency  # the rule, not the raw path
    assert not any("SO20260101" in k for k in latency)
    assert _series(text, "orderhub_outbox_depth") == {'{medium="push"}': 1.0, '{medium="sms"}': 0.0,
                                                      '{medium="webhook"}': 0.0}
    assert _series(text, "orderhub_outbox_held")['{medium="sms"}'] == 1.0
    assert _series(text, "orderhub_outbox_failed")['{medium="webhook"}'] == 1.0
    assert 540 <= _series(text, "orderhub_outbox_oldest_pending_age_seconds")[""] <= 720
    assert 540 <= _series(text, "orderhub_queue_lag_seconds")[""] <= 720
    assert "orderhub_job_queue_length" in text
    assert _series(text, "orderhub_login_failures_total")['{outcome="unknown_user"}'] >= 1


def test_metrics_are_refused_to_a_client_not_allowed(app, client):
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=outside).status_code == 403
    app.config["METRICS_TOKEN"] = "s3cret-scrape-token"
    assert client.get("/metrics", environ_base=outside,
                      headers={"Authorization": "Bearer wrong-token"}).status_code == 403
    assert client.get("/metrics", environ_base=outside,
                      headers={"Authorization": "Bearer s3cret-scrape-token"}).status_code == 200
    app.config["METRICS_ALLOW"] = "10.0.0.0/8"
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.2.3.4"}).status_code == 200
    assert client.get("/metrics").status_code == 403  # 127.0.0.1 is no longer listed
