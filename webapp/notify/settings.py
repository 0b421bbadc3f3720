"""Settings of the notify, tracking and reports domains: app.config first, else ORDERHUB_<NAME> from the environment."""
import os

from flask import current_app


def setting(name: str, default=None):
    """Return config `name`, else environment variable ORDERHUB_<name>, else `default`."""
    value = current_app.config.get(name)
    if value in (None, ""):
        value = os.environ.get(f"ORDERHUB_{name}")
    return default if value in (None, "") else value
