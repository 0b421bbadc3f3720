"""Draw the PWA icons (192, 512, maskable 512) into static/icons/."""
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
BLUE, WHITE = (11, 92, 173), (255, 255, 255)


def draw(size: int, maskable: bool) -> Image.Image:
    """Draw a box-with-check mark on blue; maskable icons keep to the 80 % safe zone."""
    img = Image.new("RGB", (size, size), BLUE)
    d = ImageDraw.Draw(img)
    pad = size * (0.26 if maskable else 0.18)
    box = [pad, pad, size - pad, size - pad]
    d.rounded_rectangle(box, radius=size * 0.06, outline=WHITE, width=max(2, size // 22))
    s = size
    d.line([(s * .36, s * .52), (s * .46, s * .62), (s * .66, s * .40)], fill=WHITE, width=max(3, size // 16),
           joint="curve")
    return img


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192, False).save(OUT / "icon-192.png", optimize=True)
    draw(512, False).save(OUT / "icon-512.png", optimize=True)
    draw(512, True).save(OUT / "icon-maskable-512.png", optimize=True)
