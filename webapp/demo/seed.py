"""Demo data: one user per role, a catalogue and about 2,000 orders over the last 7 days."""
import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from webapp.aftersales import demo as aftersales_demo
from webapp.tracking import demo as tracking_demo
from webapp.auth import services as auth
from webapp.auth.models import User
from webapp.core.db import utcnow
from webapp.extensions import db
from webapp.orders import services as orders
from webapp.orders.models import Order, Product
from webapp.vocab import CHANNELS, PROVINCES

DEMO_PASSWORD = "orderhub-demo"
DEMO_USERS = [  # username, role, display name, regions
    ("admin", "admin", "管理员 周敏", ()),
    ("manager", "manager", "经理 陈刚", ()),
    ("sales", "sales", "销售 王芳", ()),
    ("sales2", "sales", "销售 赵磊", ()),
    ("warehouse", "warehouse", "仓管 李强", ("east",)),
    ("warehouse_north", "warehouse", "仓管 孙丽", ("north", "northeast")),
    ("finance", "finance", "财务 吴静", ()),
    ("support", "support", "客服 郑洁", ()),
]
PRODUCTS = [
    ("CUP-500", "保温杯 500ml", "129.00", "52.30"), ("CUP-BRUSH", "杯刷", "19.90", "6.10"),
    ("TEA-LJ250", "龙井茶 250g", "268.00", "150.00"), ("TEA-PE357", "普洱茶饼 357g", "399.00", "210.50"),
    ("RICE-5KG", "五常大米 5kg", "89.00", "61.00"), ("OIL-5L", "花生油 5L", "139.00", "98.20"),
    ("TOWEL-3", "纯棉毛巾 3条装", "59.90", "22.40"), ("KETTLE-1.7", "电热水壶 1.7L", "199.00", "118.00"),
    ("BAG-CANVAS", "帆布袋", "39.00", "12.80"), ("PEN-GEL12", "中性笔 12支", "24.50", "8.90"),
    ("MASK-50", "医用口罩 50只", "35.00", "14.00"), ("HONEY-500", "土蜂蜜 500g", "88.00", "45.60"),
    ("LAMP-LED", "LED 台灯", "159.00", "79.00"), ("CHAIR-ERG", "人体工学椅", "1299.00", "760.00"),
    ("TV-55", "55 寸电视", "3299.00", "2650.00"), ("PHONE-CASE", "手机壳", "29.90", "4.50"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建国志强"
CITIES = {
    "上海": ["上海市浦东新区", "上海市徐汇区"], "江苏": ["南京市鼓楼区", "苏州市工业园区"],
    "浙江": ["杭州市西湖区", "宁波市鄞州区"], "山东": ["济南市历下区", "青岛市市南区"],
    "北京": ["北京市朝阳区", "北京市海淀区"], "河北": ["石家庄市长安区"], "广东": ["广州市天河区", "深圳市南山区"],
    "广西": ["南宁市青秀区"], "河南": ["郑州市金水区"], "湖北": ["武汉市洪山区"], "湖南": ["长沙市岳麓区"],
    "四川": ["成都市武侯区"], "重庆": ["重庆市渝中区"], "陕西": ["西安市雁塔区"], "辽宁": ["沈阳市和平区"],
    "黑龙江": ["哈尔滨市南岗区"], "福建": ["福州市鼓楼区"], "云南": ["昆明市五华区"],
}
STREETS = ["文三路", "中山路", "人民路", "解放路", "建设路", "长江路", "黄河路", "科技路", "张江路", "学院路"]
STATE_WEIGHTS = [("pending_payment", 8), ("awaiting_approval", 3), ("confirmed", 14), ("in_production", 8),
                 ("outbound", 10), ("in_transit", 17), ("completed", 35), ("cancelled", 5)]
CARRIERS = ["顺丰", "中通", "圆通", "韵达", "申通", "京东", "EMS"]
DEMO_CHANNELS = [c for c in CHANNELS if c != "offline_form"]


def seed(order_count: int = 2000, rng_seed: int = 20261126) -> dict:
    """Create the demo data unless it is there already; return what was created."""
    created = {"users": 0, "products": 0, "orders": 0}
    for username, role, name, regions in DEMO_USERS:
        if db.session.scalar(select(User).where(User.username == username)) is None:
            auth.create_user(username, role, DEMO_PASSWORD, regions, name)
            created["users"] += 1
    for sku, name, price, cost in PRODUCTS:
        if db.session.scalar(select(Product).where(Product.sku == sku)) is None:
            orders.create_product(sku, name, price, cost)
            created["products"] += 1
    db.session.flush()
    if db.session.scalar(select(func.count()).select_from(Order)) == 0:
        created["orders"] = _seed_orders(order_count, random.Random(rng_seed))
        db.session.flush()
        created |= aftersales_demo.seed(random.Random(rng_seed))  # steps, cases, inquiries (issue 15)
        created |= tracking_demo.seed(random.Random(rng_seed + 1))  # customers opening their tracking links
    db.session.commit()
    return created


def _seed_orders(count: int, rng: random.Random) -> int:
    products = db.session.scalars(select(Product)).all()
    sellers = db.session.scalars(select(User).where(User.role_code == "sales")).all()
    now = utcnow()
    moments = sorted(now - timedelta(seconds=rng.randint(60, 7 * 86400)) for _ in range(count))
    for at in moments:
        lines = [{"sku": p.sku, "name": p.name, "unit_price": p.unit_price, "unit_cost": p.unit_cost,
                  "quantity": rng.randint(1, 4)} for p in rng.sample(products, rng.randint(1, 3))]
        goods = sum(ln["unit_price"] * ln["quantity"] for ln in lines)
        status = rng.choices([s for s, _ in STATE_WEIGHTS], [w for _, w in STATE_WEIGHTS])[0]
        data = _customer(rng) | {
            "channel": rng.choice(DEMO_CHANNELS), "salesperson_id": rng.choice(sellers).id,
            "discount": Decimal(rng.choice([0, 0, 0, 5, 10, 20])).min(goods),
            "shipping_fee": Decimal(rng.choice(["0", "8", "12", "15"])),
        }
        if status in ("outbound", "in_transit", "completed"):
            data["outbound_at"] = at + timedelta(hours=rng.randint(2, 30))
        if status in ("in_transit", "completed"):
            data["carrier"] = rng.choice(CARRIERS)
            data["tracking_no"] = f"SF{rng.randint(10**11, 10**12 - 1)}"
        orders.create_order(data, lines, actor=None, via="system", status=status, at=at)
    return count


def _customer(rng: random.Random) -> dict:
    province = rng.choice(list(CITIES))
    city = rng.choice(CITIES[province])
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
    phone = f"+861{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}"
    prefix = "" if province in ("上海", "北京", "重庆", "天津") else province + ("省" if province not in PROVINCES["south"] else "")
    address = f"{prefix}{city}{rng.choice(STREETS)}{rng.randint(1, 999)}号"
    return {"customer_name": name, "customer_phone": phone, "address": address}
