"""Provinces and the region each belongs to; an address's region follows from its province."""

PROVINCES = {
    "east": "上海 江苏 浙江 安徽 福建 江西 山东 台湾",
    "north": "北京 天津 河北 山西 内蒙古",
    "south": "广东 广西 海南 香港 澳门",
    "central": "河南 湖北 湖南",
    "southwest": "重庆 四川 贵州 云南 西藏",
    "northwest": "陕西 甘肃 青海 宁夏 新疆",
    "northeast": "辽宁 吉林 黑龙江",
}
PROVINCE_REGION = {p: region for region, names in PROVINCES.items() for p in names.split()}
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
