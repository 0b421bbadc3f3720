"""Operations: backups (`flask backup`, the daily job), held messages (`flask outbox`), /metrics, logs, /readyz."""


def init_app(app) -> None:
    """Register the backup and outbox commands, the daily backup, the guessing push, /metrics, /readyz, the logs."""
    from webapp.auth import throttle
    from webapp.ops import alerts, cli, held, held_views, logs, metrics, outbox_cli, ready, schedule  # noqa: F401

    app.cli.add_command(cli.backup_cli)
    app.cli.add_command(outbox_cli.outbox_cli)
    app.register_blueprint(held_views.bp)
    app.jinja_env.globals["held_outbox"] = held.count  # the admin console's flag after a restore
    throttle.on_guessing(alerts.push_admins)
    app.register_blueprint(metrics.bp)
    app.register_blueprint(ready.bp)
    metrics.watch_logins()
    logs.configure(app)
    # First in line, so the time and the request id cover the other hooks too.
    app.before_request_funcs.setdefault(None, []).insert(0, metrics.start_timer)
    app.before_request_funcs[None].insert(0, logs.begin)
    app.after_request(metrics.observe)
    app.after_request(logs.finish)
