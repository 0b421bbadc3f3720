"""What the drill runs against: its own PostgreSQL and Redis (never the shared ones), two app hosts,
two queue workers, an upload volume that can be filled, and a webhook receiver counting deliveries."""
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import sqlalchemy as sa

from bench.common import ROOT, free_port

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), Path("/usr/bin"))


def _as_postgres(cmd: list[str], **kw):
    """Run a PostgreSQL server command as the postgres user (initdb refuses root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + cmd, check=True, capture_output=True, **kw)


class OwnPostgres:
    """A throw-away PostgreSQL cluster on a free port, which the drill may restart."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="orderhub-drill-pg-"))
        shutil.chown(self.dir, "postgres") if os.geteuid() == 0 else None
        self.port = free_port()
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres",
                      "--no-sync"])
        conf = self.dir / "data" / "postgresql.conf"
        with conf.open("a") as fh:
            fh.write(f"port = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.dir}'\n"
                     "max_connections = 200\nfsync = on\nsynchronous_commit = on\nshared_buffers = 256MB\n"
                     "log_lock_waits = on\n")  # deadlocks and waits over deadlock_timeout (1 s) go to its log
        self.start()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self):
        """Start the server and wait until it accepts connections."""
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"),
                      "-w", "start"])

    def restart(self):
        """Restart it (fast shutdown: open connections are cut, as in a failover)."""
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "restart",
                      "-l", str(self.dir / "log")])

    def stop(self, keep_log: Path | None = None):
        """Stop the server and remove its files (its log is copied to keep_log first, if given)."""
        with contextlib.suppress(subprocess.CalledProcessError):
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop"])
        if keep_log is not None:
            with contextlib.suppress(OSError):
                shutil.copy(self.dir / "log", keep_log)
        shutil.rmtree(self.dir, ignore_errors=True)


class OwnRedis:
    """A Redis server of the drill's own on a free port (it keeps nothing on disk)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None
        self.start()

    def start(self):
        """Start redis-server and wait for it."""
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        for _ in range(50):
            with contextlib.suppress(OSError):
                import socket
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            time.sleep(0.1)

    def stop(self):
        """Stop it."""
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


class Volume:
    """A small tmpfs for uploads that can be filled to the last byte (needs root; else a plain dir)."""

    def __init__(self, size_mb: int = 512):
        self.path = Path(tempfile.mkdtemp(prefix="orderhub-drill-uploads-"))
        self.mounted = os.geteuid() == 0 and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(self.path)]).returncode == 0
        self.filler = self.path / "filler.bin"

    def fill(self):
        """Write until the volume is full."""
        if self.mounted:
            subprocess.run(["dd", "if=/dev/zero", f"of={self.filler}", "bs=1M"], capture_output=True)

    def free(self):
        """Remove the filler."""
        self.filler.unlink(missing_ok=True)

    def remove(self):
        """Unmount and remove."""
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)])
        shutil.rmtree(self.path, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """Create an empty database on a PostgreSQL server; return its URL."""
    url = sa.make_url(server_url)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


class Stack:
    """Two app hosts (gunicorn, sharing SECRET_KEY and VAPID key by environment) and two workers on one database and Redis."""

    def __init__(self, database_url: str, redis_url: str | None, uploads: Path, env: dict):
        self.database_url, self.redis_url, self.uploads = database_url, redis_url, uploads
        self.env = os.environ | env | {"DATABASE_URL": database_url, "ORDERHUB_UPLOAD_DIR": str(uploads),
                                       "PYTHONUNBUFFERED": "1"}
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        else:
            self.env["ORDERHUB_HUEY_FILE"] = str(Path(tempfile.mkdtemp(prefix="orderhub-drill-q-")) / "huey.db")
        self.logs = Path(tempfile.mkdtemp(prefix="orderhub-drill-logs-"))
        self.hosts, self.workers, self.urls = [], [], []

    def _spawn(self, name: str, cmd: list[str]) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        return subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def start_host(self, i: int, threads: int = 8) -> None:
        """Start app host i (one gunicorn process with threads) and wait for /healthz."""
        port = free_port()
        cmd = [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", str(threads), "--bind",
               f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60", "webapp:create_app()"]
        self.hosts.append(self._spawn(f"host{i}", cmd))
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            with contextlib.suppress(requests.RequestException):
                if requests.get(base + "/healthz", timeout=1).ok:
                    break
            time.sleep(0.1)
        self.urls.append(base)

    def start_worker(self, i: int) -> subprocess.Popen:
        """Start queue worker i."""
        proc = self._spawn(f"worker{i}", [sys.executable, "-m", "flask", "--app", "webapp", "worker",
                                          "--threads", "2"])
        if i < len(self.workers):
            self.workers[i] = proc
        else:
            self.workers.append(proc)
        return proc

    def kill_worker(self, i: int) -> None:
        """Kill worker i at once (SIGKILL: no clean shutdown)."""
        self.workers[i].send_signal(signal.SIGKILL)
        self.workers[i].wait(10)

    def stop(self) -> None:
        """Stop every process."""
        for proc in self.hosts + self.workers:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.hosts + self.workers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(15)
