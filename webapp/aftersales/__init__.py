"""After-sales cases (returns, exchanges, refunds) and the customer inquiry log."""


def init_app(app) -> None:
    """Register the tables, routes and the order page's after-sales panel."""
    # models: tables; file_views: photo, refund and export routes on the same blueprint
    from webapp.aftersales import file_views, labels, models, views  # noqa: F401

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(case_kind_label=labels.case_kind_label, case_state_label=labels.case_state_label,
                                 inquiry_reason_label=labels.inquiry_reason_label)
