"""The warehouse phone flow: QR labels, scanning, packing with photo proof, outbound and hand-over."""


def init_app(app) -> None:
    """Register this domain's routes."""
    from webapp.warehouse import models, views  # noqa: F401 (models: tables)

    app.register_blueprint(views.bp)
