"""The outbox's "robot" channel: at most LIMIT requests a minute per robot, bursts merged into digests.

Each alert has its own outbox message. Delivering one first takes the robot's row lock and counts
the requests of the last minute: at the limit, the message waits until the oldest leaves the window.
Otherwise it claims (conditional UPDATE) either itself alone or, when more alerts wait than the
minute's remaining budget allows, itself and up to DIGEST_MAX waiting alerts as one digest. An
alert carried by a successful request is never sent again (its own message closes as skipped); a
failed request frees its alerts for a retry with the outbox's backoff, for up to 24 h.
"""
import json
from datetime import datetime, timedelta

from cryptography.fernet import InvalidToken
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from webapp.config import setting
from webapp.extensions import db
from webapp.notify import outbox
from webapp.notify.models import OutboxMessage
from webapp.webhooks import keys, outbound
from webapp.webhooks.sender import claimed_at

from webapp.carriers.models import Robot, RobotAlert, RobotSend
from webapp.carriers.robots.adapters import adapter

LIMIT = 20  # requests per robot per WINDOW (WeCom and DingTalk document 20/min)
WINDOW = timedelta(minutes=1)
DIGEST_MAX = 25  # alerts per digest
DIGEST_BYTES = 3800  # WeCom and DingTalk take markdown up to 4,096 bytes
RETRY_FOR = timedelta(hours=24)
IN_FLIGHT_WAIT = timedelta(seconds=2)
HEADERS = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "OrderHub-Robots/1"}


def deliver(message: OutboxMessage, worker: str) -> tuple:
    """Send a claimed robot message; return (status, error[, retry_at]) for outbox.finish()."""
    alert = db.session.scalar(select(RobotAlert).where(RobotAlert.message_id == message.id))
    robot = db.session.get(Robot, json.loads(message.payload)["robot"])
    now = claimed_at(message)
    if alert is None or robot is None or not robot.active:
        return "skipped", "robot removed or disabled"
    if alert.send is not None:
        if alert.send.ok:
            return "skipped", f"sent with request #{alert.send_id}"
        return "pending", "carried by a request under way", now + IN_FLIGHT_WAIT
    send, wait = _start(robot, alert, now)
    if send is None:
        return "pending", "rate limit or in flight elsewhere: waits", wait
    ok, error, rate_limited = _send(robot, send, now)
    outbox.record_attempt(message.id, worker, "ok" if ok else "retry", status_code=send.response_code,
                          detail=f"{send.duration_ms} ms; {error}")
    if ok:
        return "sent", ""
    retry_at = now + (WINDOW if rate_limited else outbox.backoff(message.attempts))
    return ("failed", error) if retry_at > message.created_at + RETRY_FOR else ("pending", error, retry_at)


def _start(robot: Robot, alert: RobotAlert, now: datetime) -> tuple[RobotSend | None, datetime | None]:
    """Under the robot's row lock: respect the window, then claim the alerts one request carries."""
    db.session.execute(update(Robot).where(Robot.id == robot.id).values(last_send_at=now)
                       .execution_options(synchronize_session=False))  # serialises senders of one robot
    since = now - WINDOW
    used = db.session.scalar(select(func.count()).select_from(RobotSend)
                             .where(RobotSend.robot_id == robot.id, RobotSend.at > since))
    if used >= LIMIT:
        oldest = db.session.scalar(select(func.min(RobotSend.at)).where(RobotSend.robot_id == robot.id,
                                                                        RobotSend.at > since))
        db.session.commit()
        return None, oldest + WINDOW + timedelta(milliseconds=10)
    send = RobotSend(robot_id=robot.id, at=now, items=1)
    db.session.add(send)
    db.session.flush()
    if not _claim(send, [alert.id]):  # another worker's digest took it meanwhile
        db.session.delete(send)
        db.session.commit()
        return None, now + IN_FLIGHT_WAIT
    waiting = _waiting(robot, alert)
    if len(waiting) + 1 > LIMIT - used:
        send.items += _claim(send, _fitting(alert, waiting))
    db.session.commit()
    return send, None


def _claim(send: RobotSend, ids: list[int]) -> int:
    """Mark the still unclaimed alerts among ids as carried by send; return how many it took."""
    if not ids:
        return 0
    return db.session.execute(update(RobotAlert).where(RobotAlert.id.in_(ids), RobotAlert.send_id.is_(None))
                              .values(send_id=send.id).execution_options(synchronize_session=False)).rowcount


def _fitting(alert: RobotAlert, waiting: list) -> list[int]:
    """Return the ids of the waiting alerts that join this one in a digest within DIGEST_BYTES."""
    size, ids = len(alert.line.encode()) + 100, []  # 100: the digest's heading
    for other_id, line in waiting[:DIGEST_MAX - 1]:
        size += len(line.encode()) + 1
        if size > DIGEST_BYTES:
            break
        ids.append(other_id)
    return ids


def _waiting(robot: Robot, alert: RobotAlert) -> list:
    """Return (id, digest line) of this robot's other unsent alerts whose messages are still to be delivered."""
    return list(db.session.execute(
        select(RobotAlert.id, RobotAlert.line).join(OutboxMessage, OutboxMessage.id == RobotAlert.message_id)
        .where(RobotAlert.robot_id == robot.id, RobotAlert.send_id.is_(None), RobotAlert.id != alert.id,
               OutboxMessage.status.in_(("pending", "sending")))
        .order_by(RobotAlert.id).limit(DIGEST_MAX)))


def content(alerts: list[RobotAlert]) -> tuple[str, str]:
    """Return the (title, markdown) of one request: the alert itself, or a digest of several."""
    if len(alerts) == 1:
        return alerts[0].title, alerts[0].text
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        title = _("%(n)d order alerts", n=len(alerts))
    return title, f"**{title}**\n" + "\n".join(a.line for a in alerts)


def _send(robot: Robot, send: RobotSend, now: datetime) -> tuple[bool, str, bool]:
    """Make the request for a claimed send; record its outcome and free its alerts if it failed."""
    alerts = list(db.session.scalars(select(RobotAlert).where(RobotAlert.send_id == send.id)
                                     .order_by(RobotAlert.id)))
    vendor = adapter(robot.kind)
    try:
        url, secret = keys.unseal(robot.url), keys.unseal(robot.secret) if robot.secret else None
    except InvalidToken:
        status, ms, answer = None, 0, "the robot's URL cannot be decrypted (SECRET_KEY changed?): add it again"
    else:
        url, body = vendor.request(url, secret, *content(alerts), now=now.timestamp())
        status, ms, answer = outbound.post(url, json.dumps(body, ensure_ascii=False).encode(), HEADERS,
                                           timeout=float(setting("ROBOT_TIMEOUT", 10)))
    result = vendor.outcome(status, answer)
    error = "" if result.ok else (f"HTTP {status}: {answer}" if status else answer)
    send.ok, send.response_code, send.errcode, send.duration_ms = result.ok, status, result.errcode, ms
    send.detail = error[:255]
    if not result.ok:
        db.session.execute(update(RobotAlert).where(RobotAlert.send_id == send.id).values(send_id=None)
                           .execution_options(synchronize_session=False))
    return result.ok, error, result.rate_limited
