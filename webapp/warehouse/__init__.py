"""The warehouse phone flow: QR labels, scanning, packing with photo proof, outbound and hand-over."""


def init_app(app) -> None:
    """Register this domain's routes and its proof for the outbound step (a scan and a photo)."""
    from webapp.orders import statemachine
    from webapp.warehouse import models, offline_scan, services, tasks, views  # noqa: F401 (models: tables; tasks: jobs; routes)

    app.register_blueprint(views.bp)
    statemachine.register_evidence("outbound", services.missing_evidence)
