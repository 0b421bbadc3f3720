"""Words the offline scripts show, translated on the server and handed to the page as JSON."""
from flask_babel import gettext as _

from webapp.vocab import ORDER_FIELDS
from webapp.core.labels import CHANNEL_LABELS, STATE_LABELS, region_labels


def _field_labels() -> dict:
    from webapp.access.labels import field_label
    return {name: field_label(name) for name in ORDER_FIELDS + ("sku", "name", "unit_price", "quantity", "unit_cost")}


def offline_strings() -> dict:
    """Return the strings, labels and state names the offline scripts need, in the user's language."""
    return {
        "status": _("Offline copy: %(n)s orders · updated %(t)s"),
        "status_never": _("Offline copy: not loaded yet"),
        "offline_banner": _("No network: showing the copy kept on this phone."),
        "waiting": _("Waiting to sync (%(n)s)"),
        "problems": _("Sync problems (%(n)s)"),
        "not_in_copy": _("Order %(no)s is not in the offline copy on this phone. The copy holds the orders "
                         "changed in the last 24 hours and your open tasks. Connect to the network to open it."),
        "no_match": _("No orders match."),
        "saved_offline": _("Saved on this phone; it will sync automatically when the network is back."),
        "unsynced_logout": _("%(n)s actions are not synced yet. If you log out now they are lost. Log out anyway?"),
        "install_android": _("Install OrderHub on this phone: it opens faster and works without network."),
        "install_ios": _("Install OrderHub: tap Share, then “Add to Home Screen”. This also keeps the "
                         "offline copy from being deleted after 7 days."),
        "install_wechat": _("WeChat cannot install apps: tap ··· at the top right and choose “Open in browser”, "
                            "then install OrderHub from there."),
        "install": _("Install"),
        "not_now": _("Not now"),
        "photo_needed": _("Take at least one photo first."),
        "scan_needed": _("Take a photo of the order label's QR code first."),
        "kind_outbound": _("Mark outbound"),
        "kind_note": _("Add note"),
        "kind_handover": _("Hand over to courier"),
        "kind_new_order": _("New order"),
        "kind_scan": _("Scan"),
        "kind_photo": _("Photo"),
        "device_time": _("Taken at %(t)s on this phone"),
        "what_happened": _("What happened: %(m)s"),
        "dismiss": _("Remove from list"),
        "http_error": _("The server refused it (%(s)s)."),
        "synced": _("Synced. State on the server: %(state)s"),
        "synced_plain": _("Synced."),
        "rejected": _("Not synced — the server refused it: %(m)s"),
        "fields": _field_labels(),
        "states": {k: str(v) for k, v in STATE_LABELS.items()},
        "channels": {k: str(v) for k, v in CHANNEL_LABELS.items()},
        "regions": region_labels(),
    }
