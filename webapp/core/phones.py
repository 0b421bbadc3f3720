"""Phone numbers normalised to E.164, +86 by default."""
import phonenumbers


def normalize_phone(raw: str) -> str:
    """Return the E.164 form of a phone number; raise ValueError when it is not a valid number."""
    text = (raw or "").strip()
    if not text:
        raise ValueError("empty")
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValueError("not a phone number") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """Mask the middle of a phone number: +8613800138000 → 138****8000."""
    digits = e164[3:] if e164.startswith("+86") else e164
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "****" + digits[-4:]


def local_display(e164: str) -> str:
    """Show a Chinese number without +86, other numbers as they are."""
    return e164[3:] if e164 and e164.startswith("+86") else (e164 or "")
