"""Human names of audit actions, in the user's language (write paths: webapp.core.labels.via_label)."""
from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "login": _l("Logged in"), "login_failed": _l("Login refused"), "logout": _l("Logged out"),
    "stepup": _l("Second verification passed"), "stepup_failed": _l("Second verification failed"),
    "totp_enrolled": _l("Authenticator app enrolled"), "totp_removed": _l("Authenticator app removed"),
    "permission_changed": _l("Permission changed"), "scope_changed": _l("Row scope changed"),
    "home_changed": _l("Home screen changed"),
    "role_created": _l("Role created"), "user_created": _l("User created"), "user_changed": _l("User changed"),
    "user_disabled": _l("User disabled"), "user_enabled": _l("User enabled"),
    "password_reset": _l("Password reset"),
    "create": _l("Order created"), "update": _l("Order field changed"), "transition": _l("State changed"),
    "line_added": _l("Line added"), "line_removed": _l("Line removed"), "line_changed": _l("Line changed"),
    "delete": _l("Order deleted"), "restore": _l("Order restored"), "refused_write": _l("Change refused"),
    "unlock": _l("Locked field unlocked"), "scan": _l("Label scanned"), "photo": _l("Photo proof added"),
    "offline_sync": _l("Synced from offline"), "paper_reserved": _l("Paper order numbers reserved"),
    "webhook_created": _l("Webhook registered"), "webhook_rotated": _l("Webhook secret rotated"),
    "webhook_disabled": _l("Webhook disabled"), "webhook_enabled": _l("Webhook enabled"),
    "robot_added": _l("Group robot added"), "robot_enabled": _l("Group robot enabled"),
    "robot_disabled": _l("Group robot disabled"),
    "channel_added": _l("Sales channel added"), "channel_changed": _l("Sales channel changed"),
    "channel_secret_rotated": _l("Sales channel secret renewed"), "channel_pulled": _l("Sales channel pulled now"),
    "case_opened": _l("After-sales case opened"), "case_step": _l("After-sales case moved"),
    "case_resend": _l("Replacement order created"), "inquiry": _l("Customer inquiry recorded"),
    "product_created": _l("Product added"), "product_changed": _l("Product changed"),
    "token_created": _l("API token created"), "token_revoked": _l("API token revoked"),
    "approval_rule": _l("Approval rule changed"),
    "approval_requested": _l("Approval requested"), "approval_restarted": _l("Approval started again"),
    "approval_approve": _l("Approval granted"), "approval_reject": _l("Approval rejected"),
    "approval_delegated": _l("Approvals delegated"), "approval_escalated": _l("Approval escalated"),
    "risk_hold": _l("Held for risk review"), "risk_clear": _l("Risk hold cleared"),
    "risk_cancel": _l("Cancelled in risk review"), "risk_block_phone": _l("Phone blocked"),
    "risk_unblock_phone": _l("Phone unblocked"),
    "tracking_issued": _l("Tracking link issued"), "tracking_link_resent": _l("Tracking link re-sent"),
    "tracking_revoked": _l("Tracking link revoked"), "login_guessing": _l("Password guessing detected"),
    "backup_restored": _l("Restored from a backup"), "outbox_released": _l("Held messages released"),
    "outbox_dropped": _l("Held messages dropped"),
}


def action_label(action: str) -> str:
    """Return the translated name of an audit action (the code itself if unknown)."""
    return str(ACTION_LABELS.get(action, action))

