"""Find user-facing strings in code and templates and the zh_CN catalogs that translate them."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None, "ngettext": (1, 2)}


def source_messages() -> dict[str, str]:
    """Return every msgid in webapp/ and templates/ with the first place it occurs."""
    found = {}
    for sub, method in (("webapp", "python"), ("templates", "jinja2")):
        pattern = "**.py" if method == "python" else "**.html"
        for filename, lineno, message, _comments, _ctx in extract_from_dir(
                ROOT / sub, [(pattern, method)], keywords=KEYWORDS):
            for msg in (message if isinstance(message, tuple) else (message,)):
                if msg:
                    found.setdefault(msg, f"{sub}/{filename}:{lineno}")
    return found


def zh_catalog() -> dict[str, str]:
    """Return msgid → zh_CN translation merged over every domain's catalog."""
    merged = {}
    for po in sorted(ROOT.glob("webapp/*/translations/zh_Hans_CN/LC_MESSAGES/messages.po")):
        with po.open("rb") as fh:
            for msg in read_po(fh):
                if msg.id and msg.string:
                    merged[msg.id if isinstance(msg.id, str) else msg.id[0]] = msg.string
    return merged


def missing() -> dict[str, str]:
    """Return the msgids that have no zh_CN translation, with where they occur."""
    have = zh_catalog()
    return {m: where for m, where in source_messages().items() if m not in have}


if __name__ == "__main__":
    for msg, where in sorted(missing().items(), key=lambda kv: kv[1]):
        print(f"{where}\t{msg}")
