"""Command-line tools beyond Flask-Migrate's `flask db`."""

import click
from flask import Flask
from flask.cli import with_appcontext

from api import demo
from api.extensions import db
from models.moderation import any_user

SIZE = click.IntRange(min=0)


def register_commands(app: Flask) -> None:
    """Add the project's commands to `flask`."""
    app.cli.add_command(seed)
    app.cli.add_command(admin)


@click.group()
def admin():
    """Grant or withdraw the admin role: the API itself never does."""


@admin.command()
@click.argument("username")
@with_appcontext
def grant(username):
    """Let USERNAME moderate (/api/admin)."""
    _set_admin(username, True)
    click.echo(f"{username} is an admin.")


@admin.command()
@click.argument("username")
@with_appcontext
def revoke(username):
    """Stop USERNAME moderating."""
    _set_admin(username, False)
    click.echo(f"{username} is no longer an admin.")


def _set_admin(username: str, value: bool) -> None:
    user = any_user(username)
    if user is None:
        raise click.ClickException(f"no user is named {username!r}")
    user.is_admin = value
    db.session.commit()


@click.command()
@click.option("--users", type=SIZE, default=demo.Sizes.users, show_default=True)
@click.option("--articles", type=SIZE, default=demo.Sizes.articles, show_default=True)
@click.option("--comments", type=SIZE, default=demo.Sizes.comments, show_default=True)
@click.option(
    "--follows",
    type=SIZE,
    default=demo.Sizes.follows,
    show_default=True,
    help="How many users each user follows, on average.",
)
@click.option(
    "--favorites",
    type=SIZE,
    default=demo.Sizes.favorites,
    show_default=True,
    help="How many articles each user favorites, on average.",
)
@click.option(
    "--seed",
    "seed_value",
    type=int,
    default=0,
    show_default=True,
    help="The same seed and sizes give the same data on an empty database.",
)
@click.option("--append", is_flag=True, help="Seed even though the database already has users.")
@with_appcontext
def seed(users, articles, comments, follows, favorites, seed_value, append):
    """Fill the database with demo users, follows, articles, favorites and comments.

    Every seeded user's password is the same, printed at the end.
    """
    try:
        sizes = demo.Sizes(users, articles, comments, follows, favorites)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    # Seeding twice by accident would double everything: adding to data takes a deliberate flag.
    existing = demo.user_count()
    if existing and not append:
        raise click.ClickException(
            f"the database already has users ({existing}); pass --append to add the demo data"
        )
    summary = demo.seed_demo_data(sizes, seed_value)
    click.echo(f"Seeded (seed {seed_value}):")
    for kind in ("users", "follows", "articles", "tags", "favorites", "comments"):
        click.echo(f"  {kind:<10} {getattr(summary, kind):>7}")
    click.echo(f'Every seeded user\'s password is "{demo.DEMO_PASSWORD}".')
    if summary.demo_email:
        click.echo(f"Log in as {summary.demo_email}, password {demo.DEMO_PASSWORD}")
