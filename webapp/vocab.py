"""The one order vocabulary: states, fields, regions, channels, roles, task states, the overdue rule.

Plain data with no dependencies (not even Flask): every domain imports its names from here, and
templates and scripts receive them from the server (see webapp.core.render.vocab_json), never as
literals of their own. CONTRACT.md names every code below; labels live with each domain's
translations.
"""
from datetime import datetime, timedelta

# --- states -------------------------------------------------------------------------------------
STATES = ("pending_payment", "awaiting_approval", "confirmed", "in_production", "outbound",
          "in_transit", "completed", "cancelled")
EARLY_STATES = ("pending_payment", "awaiting_approval", "confirmed")  # may still be cancelled
FINAL_STATES = ("completed", "cancelled")
OPEN_STATES = tuple(s for s in STATES if s not in FINAL_STATES)
CONFIRMED_ON = ("confirmed", "in_production", "outbound", "in_transit", "completed")
SHIPPED_STATES = ("outbound", "in_transit", "completed")
# The warehouse's work: orders waiting to be produced and packed.
TASK_STATES = ("confirmed", "in_production")
# Every step the state machine knows (source, target); no other move exists. Evidence and rules
# live in webapp.orders.statemachine; who may take each step is a matrix action (step_action).
STEPS = (("pending_payment", "confirmed"), ("pending_payment", "awaiting_approval"),
         ("awaiting_approval", "confirmed"), ("confirmed", "in_production"), ("in_production", "outbound"),
         ("outbound", "in_transit"), ("in_transit", "completed"), ("awaiting_approval", "pending_payment")) + tuple(
    (state, "cancelled") for state in EARLY_STATES)
APPROVAL_STEP = ("awaiting_approval", "confirmed")  # its matrix action is "approve"
REJECT_STEP = ("awaiting_approval", "pending_payment")  # an approver sends it back (issue 13); also "approve"


def step_action(source: str, target: str) -> str:
    """Return the matrix action that lets a role take the step source → target."""
    return "approve" if (source, target) in (APPROVAL_STEP, REJECT_STEP) else f"{source}>{target}"

# --- fields -------------------------------------------------------------------------------------
ORDER_FIELDS = ("order_no", "channel", "external_id", "customer_name", "customer_phone", "address",
                "region", "salesperson", "status", "items", "discount", "shipping_fee", "shipping_paid_by",
                "total_amount", "cost_total", "profit", "carrier", "tracking_no", "outbound_at", "notes")
LINE_FIELDS = ("sku", "name", "unit_price", "quantity", "unit_cost")
# Money on lines, ruled apart from `items`: each needs `items`, its own cell and its order-level gate.
LINE_MONEY = ("unit_price", "unit_cost")
LINE_MONEY_GATES = {"unit_price": "total_amount", "unit_cost": "cost_total"}
AMOUNT_FIELDS = ("discount", "shipping_fee", "total_amount", "cost_total", "profit", "unit_price",
                 "unit_cost")
COMPUTED_FIELDS = ("order_no", "status", "total_amount", "cost_total", "profit")  # never typed
LOCKED_AFTER_CONFIRM = ("items", "discount", "shipping_fee", "shipping_paid_by", "unit_price", "unit_cost")
# Who pays the shipping fee (issue 16): "customer" adds it to the amount due, "us" keeps it out of the
# amount due; either way it is our cost. New orders default to "customer" (a fee typed on an order is
# charged); orders from before the choice existed are "us" (their totals were computed that way).
SHIPPING_PAYERS = ("customer", "us")
DEFAULT_SHIPPING_PAYER = "us"  # profit = revenue − cost − shipping − discount (MISSION); "customer" adds the fee to the total

# --- where orders come from and how changes are made ---------------------------------------------
# "channel" is only ever the sales channel; "via" is only ever the write path.
CHANNELS = ("web", "shop", "miniprogram", "marketplace", "wechat", "phone", "wechat_group", "offline_form")
VIAS = ("web", "api", "offline", "intake", "system")
# The courier companies whose names may reach a customer (SMS); anything else typed is left out.
CARRIERS = ("顺丰", "中通", "圆通", "韵达", "申通", "京东", "EMS", "极兔", "德邦", "邮政")

# --- regions ------------------------------------------------------------------------------------
REGIONS = {  # code: (Chinese name, English name)
    "east": ("华东", "East China"),
    "north": ("华北", "North China"),
    "south": ("华南", "South China"),
    "central": ("华中", "Central China"),
    "southwest": ("西南", "Southwest"),
    "northwest": ("西北", "Northwest"),
    "northeast": ("东北", "Northeast"),
}
PROVINCES = {
    "east": ("上海", "江苏", "浙江", "安徽", "福建", "江西", "山东", "台湾"),
    "north": ("北京", "天津", "河北", "山西", "内蒙古"),
    "south": ("广东", "广西", "海南", "香港", "澳门"),
    "central": ("河南", "湖北", "湖南"),
    "southwest": ("重庆", "四川", "贵州", "云南", "西藏"),
    "northwest": ("陕西", "甘肃", "青海", "宁夏", "新疆"),
    "northeast": ("辽宁", "吉林", "黑龙江"),
}

# --- roles --------------------------------------------------------------------------------------
ROLES = ("admin", "manager", "sales", "warehouse", "finance", "support")  # built in
HOME_SCREENS = ("warehouse", "sales", "board", "admin")
SCOPES = ("own", "region", "all")
LEVELS = ("hidden", "read", "write")
# Matrix actions beyond field levels (each cell is "write" = allowed or "hidden" = not):
ORDER_ACTIONS = ("approve", "delete", "restore", "unlock")
STEP_ACTIONS = tuple(step_action(a, b) for a, b in STEPS if (a, b) not in (APPROVAL_STEP, REJECT_STEP))
AREA_ACTIONS = ("admin_console", "audit_log", "catalogue", "catalogue_price", "sms_log", "paper_form", "reports",
                "alert_overdue", "alert_overdue_escalated", "risk_review", "dashboard", "aftersales",
                "refund_review", "intake", "inquiries")
ACTIONS = ORDER_ACTIONS + STEP_ACTIONS + AREA_ACTIONS
STEPUP_ACTIONS = ("delete", "restore", "unlock")  # also need a fresh second verification

# --- after-sales cases and the inquiry log (issue 15) ---------------------------------------------
CASE_KINDS = ("return", "exchange", "wrong_item", "missing_item", "damaged", "refund_only")
WRONG_SHIPMENT_KINDS = ("wrong_item", "missing_item", "damaged")  # counted in the wrong-shipment rate
CASE_STATES = ("open", "approved", "goods_received", "refunded", "resent", "closed")
CASE_STEPS = (("open", "approved"), ("open", "closed"), ("approved", "goods_received"), ("approved", "refunded"),
              ("approved", "resent"), ("goods_received", "refunded"), ("goods_received", "resent"),
              ("refunded", "closed"), ("resent", "closed"))
INQUIRY_REASONS = ("where_is_my_order", "change_order", "product_question", "complaint", "other")

# --- the overdue rule ---------------------------------------------------------------------------
OVERDUE_HOURS = 48  # default; ORDERHUB_OVERDUE_HOURS overrides


def overdue_cutoff(now: datetime, hours: int = OVERDUE_HOURS) -> datetime:
    """Return the instant before which an open order's last step makes it overdue."""
    return now - timedelta(hours=hours)


def is_overdue(status: str, state_changed_at: datetime | None, cutoff: datetime) -> bool:
    """Say whether an order is overdue: still open, and its last step before the cutoff."""
    return status in OPEN_STATES and state_changed_at is not None and state_changed_at < cutoff


def public() -> dict:
    """Return the lists templates and scripts need, as plain JSON-ready data."""
    return {"states": list(STATES), "early_states": list(EARLY_STATES), "final_states": list(FINAL_STATES),
            "task_states": list(TASK_STATES), "shipped_states": list(SHIPPED_STATES),
            "order_fields": list(ORDER_FIELDS), "line_fields": list(LINE_FIELDS),
            "amount_fields": list(AMOUNT_FIELDS), "channels": list(CHANNELS), "shipping_payers": list(SHIPPING_PAYERS),
            "regions": {code: list(names) for code, names in REGIONS.items()}}
