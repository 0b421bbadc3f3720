"""The append-only, hash-chained audit log: append (services.record), verify and export; nothing else.

Screens that show it belong to their domains: the order history to orders, the log to the admin console.
"""


def init_app(app) -> None:
    """Register the audit commands and record logins and logouts."""
    from webapp.audit import cli, hooks, models  # noqa: F401 (models: tables)

    app.cli.add_command(cli.audit_cli)
    hooks.connect()
