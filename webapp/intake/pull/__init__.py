"""Marketplace pull and write-back: adapters per platform, scheduled pulls with a cursor, shipping info sent back."""


def init_app(app) -> None:
    """Register the adapters, the pull tables and job, the hand-over hook and the "channel" outbox medium."""
    from webapp.intake.pull import models, tasks, wechat, writeback  # noqa: F401 (tables, job, adapter registry)
    from webapp.notify import delivery
    from webapp.orders import hooks

    hooks.on_order_event(writeback.on_order_change)
    delivery.register_medium(writeback.MEDIUM, writeback.deliver)


def register_commands(group) -> None:
    """Add `channel pull` and `channel platform` to the channel command group."""
    from webapp.intake.pull import cli

    group.add_command(cli.pull)
    group.add_command(cli.platform)
