"""Start real `flask --app webapp worker` processes against a test's database for notify tests."""
import os
import signal
import subprocess
import sys
import tempfile
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
                SECRET_KEY=app.config["SECRET_KEY"], PYTHONUNBUFFERED="1",
                ORDERHUB_OUTBOUND_ALLOW=app.config.get("OUTBOUND_ALLOW") or "")
    full.update(env)
    full.pop("TEST_DATABASE_URL", None)
    # Output goes to a file, not a pipe: the test reads it while the worker runs (see consuming()).
    with tempfile.NamedTemporaryFile(prefix="orderhub-worker-", suffix=".log", delete=False) as log:
        proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "webapp", "worker", "--threads", "2"],
                                cwd=ROOT, env=full, stdout=log, stderr=subprocess.STDOUT)
    proc.log_path = Path(log.name)
    return proc


def output(proc: subprocess.Popen) -> str:
    """Return what the worker printed so far."""
    return proc.log_path.read_text(errors="replace")


def consuming(proc: subprocess.Popen) -> bool:
    """Say whether the worker's queue consumer runs (Huey logs this as it starts its threads)."""
    return "Huey consumer started" in output(proc)


def stop(proc: subprocess.Popen) -> str:
    """Stop a worker gracefully (SIGTERM), wait for it to finish its tasks, and return what it printed."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    printed = output(proc)
    proc.log_path.unlink(missing_ok=True)
    return printed
