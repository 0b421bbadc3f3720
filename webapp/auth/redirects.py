"""Where a `next=` parameter may send the browser: a path on this site, nothing that can reach another host.

Browsers are lenient: they drop tabs and newlines inside URLs, read a backslash as a slash, trim
spaces and control characters, and a proxy may decode %2F. So anything but a plain path is refused
rather than repaired: it must start with exactly one "/", hold no backslash, whitespace or control
character (also once or twice percent-decoded), and parse with no scheme and no host.
"""
import re
from urllib.parse import unquote, urlsplit

MAX_LENGTH = 2000


def _bad_char(ch: str) -> bool:
    return ch == "\\" or ch.isspace() or ord(ch) < 0x20 or 0x7f <= ord(ch) < 0xa0


def _plain(text: str, raw: bool) -> bool:
    """Say whether `text` is a path that cannot be read as pointing at another host.

    The raw value may hold no odd character at all; a decoded one only none before its query,
    where a decoded %20 in a search term is harmless.
    """
    head = re.split(r"[?#]", text, maxsplit=1)[0]
    if not head.startswith("/") or head.startswith(("//", "/\\")):
        return False
    if any(_bad_char(ch) for ch in (text if raw else head)):
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc


def is_safe(target) -> bool:
    """Say whether `target` is a local path that is safe to redirect to."""
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return False
    seen = target
    for _ in range(3):  # a proxy or a second decoder may unquote again: %252F → %2F → /
        if not _plain(seen, raw=seen is target):
            return False
        decoded = unquote(seen)
        if decoded == seen:
            return True
        seen = decoded
    return False


def safe_next(target, default: str) -> str:
    """Return `target` if it is a safe local path, else `default`."""
    return target if is_safe(target) else default
