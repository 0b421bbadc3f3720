"""Language and time zone choice: the user's setting, else ?lang=, else the browser, else zh_CN."""
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from webapp import vocab
from webapp.core import babel_speed
from webapp.core.labels import channel_label, payer_label, region_label, state_label, step_label, via_label
from webapp.core.money import yuan
from webapp.core.timefmt import fmt


def select_locale() -> str:
    """Pick the UI language for this request."""
    if not has_request_context():  # CLI commands, workers, services in tests: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    langs = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in langs:
        session["lang"] = asked
        return asked
    if getattr(current_user, "is_authenticated", False) and current_user.locale in langs:
        return current_user.locale
    if session.get("lang") in langs:
        return session["lang"]
    best = request.accept_languages.best_match(["zh", "zh-CN", "en"])
    if best and best.startswith("en"):
        return "en"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Show times in ORDERHUB_TZ."""
    return current_app.config["ORDERHUB_TZ"]


def lang() -> str:
    """Return 'en' or 'zh_CN' for the current request."""
    return str(get_locale() or "zh_CN")


def register(app: Flask) -> None:
    """Expose language helpers and formatters to templates."""
    babel_speed.install()
    app.jinja_env.filters["yuan"] = yuan
    app.jinja_env.filters["localtime"] = fmt
    app.jinja_env.globals["lang"] = lang
    app.jinja_env.globals.update(state_label=state_label, channel_label=channel_label, region_label=region_label,
                                 step_label=step_label, via_label=via_label, vocab=vocab, payer_label=payer_label)
