"""Walk every route of the app with generated input: the field names, values and path parameters a fuzzer sends."""
import io
import re
from pathlib import Path

from hypothesis import strategies as st

from webapp.vocab import ORDER_FIELDS, REGIONS, STATES

ROOT = Path(__file__).resolve().parents[2]
# Routes the walk leaves alone: logging out ends the walk's own session; static files are not input.
SKIP_ENDPOINTS = {"static", "auth.logout"}
METHODS = ("GET", "POST", "PATCH", "DELETE")

NASTY = ["", " ", "0", "-1", "1", "2", "99999999999999999999999999", "-99999999999999999999", "1e400", "NaN",
         "Infinity", "0.001", "12.345", "9999-12-31", "0001-01-01", "10000-01-01", "2026-02-30", "9999-12-31T23:59:59",
         "0001-01-01T00:00:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "2026-13-01", "1970-01-01",
         "\x00", "\u202e\u0000x", "../../etc/passwd", "🙂" * 40, "a" * 5000, "<script>alert(1)</script>",
         "' OR 1=1 --", "%", "_", "null", "true", "[]", "{}", "=1+1", "13800138000", "+8613800138000",
         *STATES, *REGIONS, "web", "all", "own", "region", "write", "read", "hidden", "1,2", "east,north"]

FIELD_PATTERNS = (r"""(?:args|form|values)\.get(?:list)?\(\s*["']([A-Za-z_][\w-]*)["']""",
                  r"""(?:args|form)\[\s*["']([A-Za-z_][\w-]*)["']\]""", r"""name="([A-Za-z_][\w-]*)\"""")


def field_names() -> list[str]:
    """Return every form/query field name the code or templates read, plus the contract's order fields."""
    names = set(ORDER_FIELDS) | {f"items-0-{k}" for k in ("sku", "name", "unit_price", "quantity", "unit_cost")}
    names |= {"items-9999-sku", "items-0-quantity", "from", "to", "date_from", "date_to", "day", "since",
              "updated_since", "limit", "cursor", "page", "version", "state", "sort"}
    sources = list((ROOT / "webapp").rglob("*.py")) + list((ROOT / "templates").rglob("*.html"))
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for pattern in FIELD_PATTERNS:
            names.update(re.findall(pattern, text))
    names -= {"csrf_token", "viewport", "theme-color", "htmx-config", "orderhub-offline"}
    return sorted(names)


FIELDS = field_names()
value = st.one_of(st.sampled_from(NASTY), st.text(max_size=24), st.integers().map(str),
                  st.dates().map(lambda d: d.isoformat()), st.datetimes().map(lambda d: d.isoformat()),
                  st.decimals(allow_nan=True, allow_infinity=True).map(str))
form = st.dictionaries(st.sampled_from(FIELDS), value, max_size=6)


def nasty_form(seed: int) -> dict:
    """Return every known field set to a nasty value (rotated by seed, so each route gets a different mix)."""
    return {name: NASTY[(seed + i) % len(NASTY)] for i, name in enumerate(FIELDS)}


def path_strategy(rule, known: dict):
    """Return a strategy for a rule's path parameters: real identifiers mixed with garbage."""
    parts = {}
    for name, conv in rule._converters.items():
        real = known.get(name) or known.get("int" if type(conv).__name__ == "IntegerConverter" else "text")
        if type(conv).__name__ == "IntegerConverter":
            parts[name] = st.one_of(st.sampled_from(real), st.integers(min_value=0, max_value=2**70))
        else:
            garbage = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#"),
                              min_size=1, max_size=20)
            parts[name] = st.one_of(st.sampled_from(real), garbage, st.sampled_from(NASTY[1:20]))
    return st.fixed_dictionaries(parts)


def with_files(data: dict, photo: bytes | None) -> dict:
    """Add an uploaded file under `photo` (and `file`) when the draw asked for one."""
    if photo is None:
        return data
    return data | {"photo": (io.BytesIO(photo), "p.jpg"), "file": (io.BytesIO(photo), "f.csv")}


def build_path(rule, values: dict) -> str | None:
    """Fill the rule with the drawn parameters; None when werkzeug cannot build it from them."""
    try:
        return rule.build({k: v for k, v in values.items()}, append_unknown=False)[1]
    except Exception:  # a drawn value the converter cannot put in a URL: nothing to send
        return None


def walkable(app):
    """Yield (rule, method) for every route and method the walk requests."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint in SKIP_ENDPOINTS:
            continue
        for method in METHODS:
            if method in rule.methods:
                yield rule, method
