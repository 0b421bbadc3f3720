"""Start real `flask --app webapp worker` processes against a test's database for notify tests."""
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def vapid_pem(app) -> str:
    """Return the PEM of the VAPID key the test app signs with (so workers sign with the same key)."""
    from webapp.notify.vapid import vapid
    with app.app_context():
        return vapid(app).private_pem().decode()


def start(app, database_url: str, **env) -> subprocess.Popen:
    """Run a worker in the background on this database; extra env as keyword arguments."""
    full = dict(os.environ, DATABASE_URL=database_url, VAPID_PRIVATE_KEY=vapid_pem(app),
                SECRET_KEY=app.config["SECRET_KEY"], PYTHONUNBUFFERED="1", **env)
    full.pop("TEST_DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "webapp", "worker", "--threads", "2"],
                            cwd=ROOT, env=full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen) -> str:
    """Stop a worker gracefully (SIGTERM) and return what it printed."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=40)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out.decode(errors="replace")
