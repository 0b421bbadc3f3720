"""Approvals and risk: rules as data, multi-level chains, delegation, escalation, the risk queue."""


def init_app(app) -> None:
    """Register this domain's tables, routes, state-machine gates, order-event handler and worker job."""
    from webapp.approvals import admin, events, holds, models, rules, tasks, views  # noqa: F401 (models, tasks)
    from webapp.approvals.state import approval_state
    from webapp.orders import hooks
    from webapp.orders import statemachine as sm

    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    sm.register_approval(rules.needs_approval)
    sm.register_gate(holds.gate)
    sm.register_gate(events.approval_gate)
    hooks.on_order_event(events.on_order_change)
    app.jinja_env.globals.update(approval_state=approval_state, rule_name=rules.rule_name)
