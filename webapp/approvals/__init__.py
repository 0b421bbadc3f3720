"""Approvals and risk: rules as data, multi-level chains, delegation, escalation, the risk queue."""


def init_app(app) -> None:
    """Register this domain's tables, routes, state-machine gates, order-event handler and worker job."""
    from webapp.approvals import admin, alerts, events, holds, inbox, models, rules, tasks, views  # noqa: F401 (models, tasks)
    from webapp.approvals.state import approval_state
    from webapp.notify import routing
    from webapp.orders import hooks
    from webapp.orders import statemachine as sm

    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    sm.register_approval(rules.needs_approval)
    sm.register_gate(holds.gate)
    sm.register_gate(events.approval_gate)
    hooks.on_order_event(events.on_order_change)
    routing.register_approval_audience(alerts.routing_audience)
    app.jinja_env.globals.update(approval_state=approval_state, rule_name=rules.rule_name,
                                 approval_badges=inbox.badges,
                                 my_approval_count=lambda: inbox.my_count(_current_user()))


def _current_user():
    """Return the signed-in user, or None (the home tile asks from a template)."""
    from flask_login import current_user
    return current_user if getattr(current_user, "is_authenticated", False) else None
