"""Shared by the domains' commands: one write per command, committed, or a clear error and nothing kept."""
from typing import Callable

import click

from webapp.extensions import db


def commit_or_fail(write: Callable, errors: tuple = (ValueError,)):
    """Run write() and commit; on one of `errors` roll back and exit non-zero with its message."""
    try:
        result = write()
        db.session.commit()
    except errors as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    return result
