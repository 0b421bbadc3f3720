"""The code stays small enough to read: no module of webapp/ over 300 lines."""
from pathlib import Path

LIMIT = 300
ROOT = Path(__file__).resolve().parents[2] / "webapp"


def test_no_module_is_over_300_lines():
    long = {str(p.relative_to(ROOT)): n for p in ROOT.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > LIMIT}
    assert long == {}, f"split these modules: {long}"
