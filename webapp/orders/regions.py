"""Provinces and the region each belongs to; an address's region follows from its province."""

from webapp.vocab import PROVINCES

PROVINCE_REGION = {p: region for region, names in PROVINCES.items() for p in names}
# Longest names first so 内蒙古 wins over a shorter accidental match.
_ORDERED = sorted(PROVINCE_REGION, key=len, reverse=True)


def province_of(address: str) -> str | None:
    """Return the province an address starts with (or names), else None."""
    text = (address or "").strip()
    for name in _ORDERED:
        if text.startswith(name):
            return name
    for name in _ORDERED:
        if name in text[:12]:
            return name
    return None


def region_of(address: str) -> str | None:
    """Return the region code for an address, else None when no province is named."""
    province = province_of(address)
    return PROVINCE_REGION.get(province) if province else None
