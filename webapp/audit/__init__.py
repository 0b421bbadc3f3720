"""The append-only, keyed hash-chained audit log: append (services.record), verify, anchor and export.

Screens that show it belong to their domains: the order history to orders, the log to the admin console.
"""


def init_app(app) -> None:
    """Register the audit commands and the hourly checkpoint, record logins and logouts."""
    from webapp.audit import cli, hooks, models, tasks  # noqa: F401 (models: tables; tasks: the hourly checkpoint)

    app.cli.add_command(cli.audit_cli)
    hooks.connect()
    if not app.config.get("AUDIT_KEY"):
        app.logger.warning("ORDERHUB_AUDIT_KEY is not set: the audit chain is keyed with a key derived from "
                           "SECRET_KEY. Set ORDERHUB_AUDIT_KEY (kept outside the database) to keep them apart.")
