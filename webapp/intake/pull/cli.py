"""`flask channel platform CODE …` (connect a channel to a platform) and `flask channel pull CODE` (pull now)."""
import json

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from webapp.extensions import db
from webapp.intake.models import Channel
from webapp.intake.pull import runner
from webapp.intake.pull.adapters import ADAPTERS, settings_of
from webapp.webhooks import keys


def _channel(code: str) -> Channel:
    channel = db.session.scalar(select(Channel).where(Channel.code == code.strip().lower(), Channel.active.is_(True)))
    if channel is None:
        raise click.ClickException(f"no active channel {code!r}")
    return channel


@click.command("pull")
@click.argument("code")
@with_appcontext
def pull(code):
    """Pull a marketplace channel's new and changed orders now; the last line is the run's counts."""
    try:
        run = runner.pull_now(_channel(code))
    except runner.PullRefused as exc:
        raise click.ClickException(str(exc)) from exc
    for line, message, _raw in run.outcome.errors:
        click.echo(f"line {line}: {message}")
    click.echo(run.outcome.summary())
    if any(message.startswith("platform:") for _line, message, _raw in run.outcome.errors):
        raise click.exceptions.Exit(1)


@click.command("platform")
@click.argument("code")
@click.option("--adapter", help="pull channels: the marketplace adapter (wechat_shop = 微信小店).")
@click.option("--push-format", type=click.Choice(["generic", "youzan"]), help="push channels: the body format.")
@click.option("--base-url", help="The platform's API address (default: the platform's own).")
@click.option("--app-id", help="The app id (微信 appid / 有赞 client_id).")
@click.option("--interval", "interval_minutes", type=click.IntRange(1, 1440), help="Minutes between pulls.")
@click.option("--app-secret", envvar="ORDERHUB_CHANNEL_SECRET",
              help="The platform's app secret (or ORDERHUB_CHANNEL_SECRET; asked for when needed).")
@with_appcontext
def platform(code, adapter, push_format, base_url, app_id, interval_minutes, app_secret):
    """Connect a pull or push channel to its platform (adapter or push format, address, app id, secret)."""
    from webapp.intake import push_platforms
    channel = _channel(code)
    if channel.kind not in ("pull", "push"):
        raise click.ClickException("only pull and push channels connect to a platform (channel add --kind pull|push)")
    settings = settings_of(channel)
    given = {"adapter": adapter, "push_format": push_format, "base_url": base_url, "app_id": app_id,
             "interval_minutes": interval_minutes}
    settings |= {k: v for k, v in given.items() if v not in (None, "")}
    if channel.kind == "pull" and settings.get("adapter") not in ADAPTERS:
        raise click.ClickException(f"a pull channel needs --adapter ({', '.join(sorted(ADAPTERS))})")
    if channel.kind == "pull":
        settings.setdefault("base_url", ADAPTERS[settings["adapter"]].default_url)
    needs_secret = channel.kind == "pull" or settings.get("push_format") in push_platforms.SIGNED_BY_PLATFORM
    if needs_secret and not app_secret:
        app_secret = click.prompt("app secret", hide_input=True)
    if app_secret:
        channel.secret = keys.seal(app_secret.strip())
    channel.settings = json.dumps(settings, ensure_ascii=False)
    db.session.commit()
    click.echo(f"channel {channel.code}: " + ", ".join(f"{k}={v}" for k, v in sorted(settings.items())))
