"""Warehouse screens: bytes on the wire (first load and repeat, gzip) and server-side QR decode time."""
import gzip
import io
import re
import statistics
import time
from urllib.parse import urljoin

import sqlalchemy as sa

from bench.common import gunicorn, login, seeded_sqlite, table

ASSET = re.compile(r'<(?:script[^>]+src|link[^>]+href|img[^>]+src)="(/[^"]+)"')
BUDGET_TOTAL, BUDGET_JS = 100_000, 50_000


def gz(data: bytes) -> int:
    """Return the gzip size of data (level 6, what servers commonly use)."""
    return len(gzip.compress(data, 6))


def header_bytes(resp) -> int:
    """Return the approximate size of a response's status line and headers."""
    return 17 + sum(len(k) + len(v) + 4 for k, v in resp.headers.items())


def assets_of(html: str) -> list[str]:
    """Return the same-origin CSS/JS/image paths a page loads (photos excluded, manifests skipped)."""
    found = [p for p in ASSET.findall(html) if "/photos/" not in p and not p.endswith(".webmanifest")]
    return list(dict.fromkeys(found))


def weigh(session, base: str, path: str, extra: tuple = ()) -> dict:
    """Fetch a screen and its assets; return gzip bytes for the first load, JS, and a repeat visit."""
    page = session.get(base + path)
    html = page.content
    total, js, repeat = gz(html), 0, gz(html) + header_bytes(page)
    for asset in assets_of(page.text) + list(extra):
        resp = session.get(urljoin(base, asset))
        size = gz(resp.content)
        total += size + header_bytes(resp)
        if asset.endswith(".js"):
            js += size
        again = session.get(urljoin(base, asset), headers={"If-None-Match": resp.headers.get("ETag", ""),
                                                            "If-Modified-Since": resp.headers.get("Last-Modified", "")})
        repeat += header_bytes(again) + (0 if again.status_code == 304 else gz(again.content))
    return {"status": page.status_code, "first": total, "js": js, "repeat": repeat,
            "assets": len(assets_of(page.text)) + len(extra)}


def orders_for(url: str) -> tuple[str, str]:
    """Return an east-region order waiting to be packed and one already outbound."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        pick = "SELECT order_no FROM orders WHERE region = 'east' AND status = :s ORDER BY id LIMIT 1"
        waiting = conn.execute(sa.text(pick), {"s": "confirmed"}).scalar_one()
        shipped = conn.execute(sa.text(pick), {"s": "outbound"}).scalar_one()
    engine.dispose()
    return waiting, shipped


def screen_rows(base: str, url: str) -> list[list]:
    """Weigh every warehouse screen as the demo warehouse worker (east)."""
    waiting, shipped = orders_for(url)
    session = login(base, "warehouse")
    decoder = re.search(r'data-decoder="([^"]+)"', session.get(base + "/scan").text).group(1)
    screens = [("home", "/", ()), ("scan (BarcodeDetector)", "/scan", ()),
               ("scan (+ jsQR decoder)", "/scan", (decoder,)), ("pack", f"/pack/{waiting}", ()),
               ("done", f"/pack/{shipped}/done", ()), ("hand-over", f"/pack/{shipped}/handover", ()),
               ("label (print)", f"/print/label/{waiting}", ()), ("slip (print)", f"/print/slip/{waiting}", ())]
    rows = []
    for name, path, extra in screens:
        w = weigh(session, base, path, extra)
        ok = "ok" if w["first"] <= BUDGET_TOTAL and w["js"] <= BUDGET_JS else "OVER"
        rows.append([name, w["status"], w["assets"], f"{w['first'] / 1000:.1f}", f"{w['js'] / 1000:.1f}",
                     f"{w['repeat'] / 1000:.1f}", ok])
    return rows


def twelve_mp_photo(text: str, box: int) -> bytes:
    """Return a 4000 × 3000 JPEG (about 12 MP, like a phone photo) with the label's QR in it."""
    import qrcode
    from PIL import Image, ImageFilter
    code = qrcode.make(text, box_size=box, border=4).convert("RGB")
    photo = Image.effect_noise((4000, 3000), 40).convert("RGB").filter(ImageFilter.GaussianBlur(2))
    photo.paste(code, (1700, 1100))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=88)
    return out.getvalue()


def decode_timing(runs: int = 7) -> list[list]:
    """Time open + decode of 12 MP photos in process: a label close up, and a small/distant one."""
    from webapp.warehouse import images
    rows = []
    for what, box in (("label close up", 14), ("label far away", 4)):
        data = twelve_mp_photo("https://hub.example.cn/o/SO20261126-0031?s=AbCdEfGhIjKlMnOpQrStUv", box)
        timings, found = [], None
        for _ in range(runs):
            t0 = time.perf_counter()
            found = images.read_codes(data)
            timings.append((time.perf_counter() - t0) * 1000)
        rows.append([f"12 MP JPEG, {what} ({len(data) // 1024} kB)", "yes" if found else "NO",
                     f"{statistics.median(timings):.0f}", f"{max(timings):.0f}"])
    return rows


def main() -> None:
    """Seed demo data, serve with gunicorn, weigh each warehouse screen; time the 12 MP decode."""
    url = seeded_sqlite(400)
    with gunicorn(url) as base:
        rows = screen_rows(base, url)
    print("Bytes on the wire per warehouse screen (gzip level 6, HTML + CSS + JS + images, photos excluded);")
    print(f"repeat = same screen again with HTTP revalidation (304s). Budget {BUDGET_TOTAL // 1000} kB first load, "
          f"{BUDGET_JS // 1000} kB JS.")
    print(table(rows, ["screen", "status", "assets", "first kB", "JS kB", "repeat kB", "budget"]))
    print("\nServer-side QR decoding (zxing-cpp, QR only)")
    print(table(decode_timing(), ["input", "found", "median ms", "max ms"]))
