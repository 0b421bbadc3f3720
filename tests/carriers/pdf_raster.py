"""A tiny rasterizer for the filled rectangles of a PDF page (what barcodes and QR codes are drawn with).

No PDF renderer is installed, so the tests paint the page's own drawing operators (q/Q, cm, rg/g,
re, f) onto a Pillow image and let zxing-cpp read that: the barcode is decoded from the PDF's
drawing, not from the string that went into it. Text and curves are ignored.
"""
import base64
import re
import zlib

from PIL import Image, ImageDraw

STREAM = re.compile(rb"obj\s*<<((?:(?!endobj).)*?)>>\s*stream\r?\n(.*?)\s*endstream", re.S)
TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|\[|\]|/[^\s/\[\]()<>]+|[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z'\"*]+")


def _decode(head: bytes, data: bytes) -> bytes:
    if b"ASCII85Decode" in head:
        data = base64.a85decode(data.strip().removesuffix(b"~>"), adobe=False)
    if b"FlateDecode" in head:
        data = zlib.decompress(data)
    return data


def page_streams(pdf: bytes) -> list[bytes]:
    """Return the decoded content streams of a PDF that draw (not fonts or images)."""
    found = []
    for head, data in STREAM.findall(pdf):
        if b"/Subtype" in head or b"/Length1" in head:
            continue
        found.append(_decode(head, data))
    return found


def media_box(pdf: bytes) -> tuple[float, float]:
    """Return the page's width and height in points."""
    x0, y0, x1, y1 = (float(v) for v in re.search(rb"/MediaBox\s*\[\s*([\d.\s-]+)\]", pdf).group(1).split())
    return x1 - x0, y1 - y0


def _mul(m, n):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def rasterize(pdf: bytes, scale: float = 4.0) -> Image.Image:
    """Paint the page's filled rectangles black/grey/white on a white image, `scale` pixels per point."""
    width, height = media_box(pdf)
    image = Image.new("L", (int(width * scale), int(height * scale)), 255)
    draw = ImageDraw.Draw(image)
    for stream in page_streams(pdf):
        ctm, stack, fill, path, args = (1, 0, 0, 1, 0, 0), [], 0, [], []
        for token in TOKEN.findall(stream):
            if re.fullmatch(rb"[-+]?(?:\d+\.?\d*|\.\d+)", token):
                args.append(float(token))
                continue
            op = token.decode("latin-1")
            if op == "q":
                stack.append((ctm, fill))
            elif op == "Q" and stack:
                ctm, fill = stack.pop()
            elif op == "cm" and len(args) >= 6:
                ctm = _mul(tuple(args[-6:]), ctm)
            elif op == "rg" and len(args) >= 3:
                fill = int(255 * (0.299 * args[-3] + 0.587 * args[-2] + 0.114 * args[-1]))
            elif op == "g" and args:
                fill = int(255 * args[-1])
            elif op == "re" and len(args) >= 4:
                path.append((ctm, tuple(args[-4:])))
            elif op in ("f", "F", "f*", "B", "b"):
                for m, (x, y, w, h) in path:
                    xs = [m[0] * px + m[2] * py + m[4] for px, py in ((x, y), (x + w, y + h))]
                    ys = [m[1] * px + m[3] * py + m[5] for px, py in ((x, y), (x + w, y + h))]
                    box = [min(xs) * scale, (height - max(ys)) * scale, max(xs) * scale, (height - min(ys)) * scale]
                    draw.rectangle([round(v) for v in box], fill=fill)
                path = []
            elif op in ("n", "S", "s"):
                path = []
            if not op.startswith(("(", "<", "/", "[", "]")):
                args = []
    return image
