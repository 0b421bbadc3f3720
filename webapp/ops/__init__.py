"""Operations: backups, metrics, structured logs and readiness (issue 17)."""


def init_app(app) -> None:
    """Nothing yet: the operations domain fills in here."""
