"""Small table-driven rules for Chinese order text: numerals, phones, labels, cities → provinces.

No address library is used: the ones on PyPI (cpca and forks) pull pandas and jieba and their
last maintained release is old; an order only needs its province first (webapp.orders.regions), so
a table of the larger cities lets an address that starts with its city gain its province.
"""
import re

from webapp.vocab import PROVINCES

DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
          "九": 9}
NUMBER = r"(?:\d{1,5}|[一二两俩三四五六七八九十]{1,3})"
UNITS = r"(?:箱|斤|公斤|盒|份|件|个|袋|包|瓶|罐|提|筐|篮|套|只|条|kg|KG|Kg)"
TIMES = r"(?:[xX×*＊])"
PHONE = re.compile(r"(?<!\d)(1[3-9]\d(?:[ -]?\d){8})(?!\d)")
SHORT_PHONE = re.compile(r"(?<![\d.])(1[3-9]\d{8})(?![\d.])")  # 10 digits: a mistyped mobile number
# label → field; a value runs until the next label or the end of the entry.
LABELS = {"收件人": "name", "收货人": "name", "联系人": "name", "姓名": "name", "名字": "name",
          "电话": "phone", "手机": "phone", "手机号": "phone", "联系电话": "phone", "电话号码": "phone",
          "地址": "address", "收货地址": "address", "收件地址": "address", "详细地址": "address",
          "数量": "items", "商品": "items", "要": "items", "备注": "notes"}
LABEL = re.compile(r"(" + "|".join(sorted(LABELS, key=len, reverse=True)) + r")\s*[:：]\s*")
# The larger cities (and municipalities) people start an address with, by province.
CITIES = {
    "浙江": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 义乌",
    "江苏": "南京 苏州 无锡 常州 镇江 南通 扬州 泰州 盐城 淮安 徐州 连云港 宿迁 昆山",
    "广东": "广州 深圳 珠海 汕头 佛山 东莞 中山 惠州 江门 湛江 茂名 肇庆 梅州 揭阳 潮州 清远 韶关",
    "福建": "福州 厦门 泉州 漳州 莆田 三明 南平 龙岩 宁德",
    "山东": "济南 青岛 烟台 潍坊 淄博 威海 临沂 济宁 泰安 日照 德州 聊城 滨州 菏泽 枣庄 东营",
    "安徽": "合肥 芜湖 蚌埠 淮南 马鞍山 安庆 黄山 阜阳 滁州 六安 宣城",
    "江西": "南昌 赣州 九江 景德镇 上饶 宜春 吉安 抚州 萍乡 新余 鹰潭",
    "湖北": "武汉 宜昌 襄阳 荆州 黄石 十堰 孝感 黄冈 咸宁 荆门 鄂州 随州",
    "湖南": "长沙 株洲 湘潭 衡阳 岳阳 常德 郴州 邵阳 益阳 永州 怀化 娄底",
    "河南": "郑州 洛阳 开封 新乡 南阳 许昌 平顶山 安阳 焦作 商丘 信阳 周口 驻马店",
    "河北": "石家庄 唐山 保定 邯郸 廊坊 秦皇岛 沧州 邢台 张家口 承德 衡水",
    "四川": "成都 绵阳 德阳 宜宾 泸州 南充 乐山 自贡 达州 眉山",
    "陕西": "西安 宝鸡 咸阳 渭南 汉中 延安 榆林",
    "辽宁": "沈阳 大连 鞍山 抚顺 锦州 营口 丹东",
    "吉林": "长春 吉林市 四平 延边",
    "黑龙江": "哈尔滨 齐齐哈尔 大庆 牡丹江 佳木斯",
    "云南": "昆明 大理 丽江 曲靖 玉溪 西双版纳",
    "贵州": "贵阳 遵义 六盘水 安顺",
    "广西": "南宁 柳州 桂林 梧州 北海 玉林",
    "山西": "太原 大同 长治 晋中 运城 临汾",
    "甘肃": "兰州 天水 酒泉",
    "海南": "海口 三亚",
    "新疆": "乌鲁木齐 喀什 伊犁",
    "内蒙古": "呼和浩特 包头 鄂尔多斯 赤峰",
    "宁夏": "银川",
    "青海": "西宁",
    "西藏": "拉萨",
}
CITY_PROVINCE = {city: prov for prov, names in CITIES.items() for city in names.split()}
MUNICIPALITIES = ("北京", "上海", "天津", "重庆")
PLACES = sorted([p for names in PROVINCES.values() for p in names] + list(CITY_PROVINCE), key=len, reverse=True)
PLACE = re.compile("(" + "|".join(PLACES) + ")")


def chinese_number(text: str) -> int | None:
    """Return the value of 3, 三, 十二, 二十, 两 (up to 99); None for anything else."""
    if text.isdigit():
        return int(text)
    if text in DIGITS:
        return DIGITS[text]
    if "十" in text and len(text) <= 3:
        tens, _, ones = text.partition("十")
        high = DIGITS.get(tens, None) if tens else 1
        low = DIGITS.get(ones, None) if ones else 0
        if high is not None and low is not None:
            return high * 10 + low
    return None


def with_province(address: str) -> str:
    """Put the province in front of an address that starts with a known city (杭州市… → 浙江省杭州市…)."""
    text = address.strip()
    for city in MUNICIPALITIES:
        if text.startswith(city):
            return text if text.startswith(city + "市") else city + "市" + text[len(city):]
    for city, province in CITY_PROVINCE.items():
        if text.startswith(city):
            suffix = "" if province in ("内蒙古", "广西", "新疆", "宁夏", "西藏") else "省"
            return f"{province}{suffix}{text}"
    return text


def digits_only(phone: str) -> str:
    """Return the digits of a phone number as typed (138 0013-8000 → 13800138000)."""
    return re.sub(r"\D", "", phone)
