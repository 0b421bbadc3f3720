"""Exact CNY arithmetic: Decimal, rounded half-up to the fen."""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")


def to_money(value) -> Decimal:
    """Round a number to the fen, half-up."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def parse_money(text, *, allow_negative: bool = False) -> Decimal:
    """Parse user-typed money: at most two decimals; raise ValueError with a reason."""
    raw = str(text).strip().replace(",", "").replace("¥", "")
    if raw == "":
        raise ValueError("empty")
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError("not a number") from exc
    if not value.is_finite():
        raise ValueError("not a number")
    if value.as_tuple().exponent < -2:
        raise ValueError("more than two decimals")
    if value < 0 and not allow_negative:
        raise ValueError("negative")
    if abs(value) >= Decimal("10000000000"):
        raise ValueError("too large")
    return value.quantize(FEN)


def yuan(value) -> str:
    """Format a Decimal as ¥1,234.50."""
    if value is None:
        return ""
    value = Decimal(value)
    sign = "−" if value < 0 else ""
    return f"{sign}¥{abs(value):,.2f}"
