"""The WSGI app of one "host" in the two-host test: the real factory, with its own instance/ directory.

Flask finds instance/ next to the package, so two processes on one checkout would share it; this
entry point gives each process the directory named by ORDERHUB_TEST_INSTANCE (test-only).
"""
import os

import flask

import webapp


class _Host(flask.Flask):
    """Flask with the instance directory this host was given."""

    def auto_find_instance_path(self) -> str:
        return os.environ["ORDERHUB_TEST_INSTANCE"]


webapp.Flask = _Host
app = webapp.create_app()
