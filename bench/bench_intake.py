"""Intake: parse a 300-line 接龙 list (target < 1 s) and import a 10,000-row XLSX end to end on SQLite
(target < 60 s), through `flask import orders` as a user would run it (the same process, timed).

The database is a migrated SQLite file with the demo data (its users and catalogue); the XLSX has one
order per row with the Chinese default headers, written by openpyxl in write-only mode.
"""
import random
import tempfile
import time
import resource
from pathlib import Path

from bench.common import seeded_sqlite, table

LINES = 300
ROWS = 10_000


def jielong_text(names: list[str], n: int = LINES) -> str:
    """A 接龙 list of n numbered lines over the given item names."""
    rng = random.Random(7)
    cities = ["浙江省杭州市西湖区文三路", "上海市浦东新区张江路", "广东省深圳市南山区科技园南路", "江苏省苏州市工业园区星湖街"]
    lines = ["#接龙 周末团购", "例：1. 昵称 商品数量 电话 地址"]
    for i in range(1, n + 1):
        lines.append(f"{i}. 群友{i} {rng.choice(names)}{rng.randint(1, 5)}箱 138{i:08d} {rng.choice(cities)}{i}号")
    return "\n".join(lines)


def bench_parse(names: dict) -> list:
    from webapp.intake import jielong
    text = jielong_text([n for n in names if not n.isascii()] or list(names))
    jielong.parse(text, names)  # warm up regexes
    t0 = time.perf_counter()
    parsed = jielong.parse(text, names)
    seconds = time.perf_counter() - t0
    clean = sum(1 for e in parsed.entries if not e.missing)
    return [f"parse {LINES}-line 接龙", f"{seconds:.3f} s", f"{clean}/{len(parsed.entries)} complete", "< 1 s"]


def write_xlsx(path: Path, skus: list[str], n: int = ROWS) -> None:
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["订单号", "客户", "电话", "地址", "商品编码", "数量"])
    rng = random.Random(11)
    for i in range(n):
        sheet.append([f"B-{i:06d}", f"客户{i}", f"139{i:08d}", f"浙江省杭州市西湖区文三路{i}号", rng.choice(skus),
                      rng.randint(1, 9)])
    book.save(path)


def bench_import(app, path: Path) -> list:
    runner = app.test_cli_runner()
    args = ["import", "orders", str(path), "--channel", "shop", "--user", "sales"]
    t0 = time.perf_counter()
    result = runner.invoke(args=args)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
    last = result.output.strip().splitlines()[-1]
    t0 = time.perf_counter()
    again = runner.invoke(args=args).output.strip().splitlines()[-1]
    rerun = time.perf_counter() - t0
    return [[f"import {ROWS:,}-row XLSX", f"{seconds:.1f} s", f"{last}; process peak RSS {peak / 2**20:.0f} MB",
             "< 60 s"],
            ["re-import the same XLSX", f"{rerun:.1f} s", again, "creates nothing"]]


def main() -> None:
    from webapp import create_app
    from webapp.intake.services import catalogue_names
    url = seeded_sqlite(orders=200)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        names = catalogue_names()
    rows = [bench_parse(names)]
    path = Path(tempfile.mkdtemp(prefix="orderhub-bench-")) / "orders.xlsx"
    write_xlsx(path, sorted(set(names.values())))
    rows += bench_import(app, path)
    print(table(rows, ["what", "time", "result", "target"]))


if __name__ == "__main__":
    main()
