"""Demo data for `make run`: one user per role, a catalogue and about 2,000 orders."""


def init_app(app) -> None:
    """Add `flask demo seed` to the app's CLI."""
    from webapp.demo.cli import demo_cli

    app.cli.add_command(demo_cli)
