"""`make run` prints every demo login the README lists."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_prints_every_demo_login_of_the_readme():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("`make run` seeds these users")[1].split("\n\n")[1]
    listed = set(re.findall(r"`(\w+)`", table))
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "demo_logins.py")], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    printed = {line.split()[0] for line in out.splitlines()[1:]}
    assert listed and listed <= printed, listed - printed
    assert "orderhub-demo" in out
    assert "scripts/demo_logins.py" in (ROOT / "Makefile").read_text()
