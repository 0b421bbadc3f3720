"""Run every benchmark module (bench/bench_*.py) in name order, or those named on the command line."""
import importlib
import sys
from pathlib import Path


def main(names: list[str]) -> None:
    """Import each bench module and call its main()."""
    here = Path(__file__).parent
    modules = sorted(p.stem for p in here.glob("bench_*.py"))
    chosen = [m for m in modules if not names or any(n in m for n in names)]
    for name in chosen:
        print(f"\n=== {name} ===", flush=True)
        importlib.import_module(f"bench.{name}").main()


if __name__ == "__main__":
    main(sys.argv[1:])
