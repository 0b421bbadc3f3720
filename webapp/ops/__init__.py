"""Operations: backups (`flask backup`, the daily job), /metrics, the JSON request log and /readyz (issue 17)."""


def init_app(app) -> None:
    """Register `flask backup`, the scheduled backup, /metrics, /readyz, request ids and the request log."""
    from webapp.ops import cli, logs, metrics, ready, schedule  # noqa: F401 (schedule: the daily job)

    app.cli.add_command(cli.backup_cli)
    app.register_blueprint(metrics.bp)
    app.register_blueprint(ready.bp)
    metrics.watch_logins()
    logs.configure(app)
    # First in line, so the time and the request id cover the other hooks too.
    app.before_request_funcs.setdefault(None, []).insert(0, metrics.start_timer)
    app.before_request_funcs[None].insert(0, logs.begin)
    app.after_request(metrics.observe)
    app.after_request(logs.finish)
