"""`aggregator db upgrade|current|check|optimize`: manage the database schema (Alembic)."""

from __future__ import annotations

from typing import Annotated

import typer

from aggregator.cli.app import app
from aggregator.config import database_url
from aggregator.exceptions import StorageError
from aggregator.storage.access import (
    missing_sqlite_file,
    open_engine,
    require_existing,
    require_schema,
)
from aggregator.storage.maintenance import optimize
from aggregator.storage.migrate import current_revision, head_revision, schema_diff, upgrade
from aggregator.storage.preflight import require_persistent

db_app = typer.Typer(help="Create, migrate and check the database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: $AGGREGATOR_DATABASE_URL or "
                 "sqlite:///./data/aggregator.db)."),
]  # fmt: skip


def _persistent(db: str | None) -> str:
    """The database URL; an in-memory SQLite URL is refused (the work would vanish)."""
    return require_persistent(database_url(db))


@db_app.command("upgrade")
def upgrade_cmd(
    db: DbOption = None,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Create the schema or migrate it to the newest revision."""
    with open_engine(_persistent(db)) as engine:
        upgrade(engine, revision)
        typer.echo(f"database at revision {current_revision(engine)}")


@db_app.command("current")
def current_cmd(db: DbOption = None) -> None:
    """Print the database's revision and whether it is the newest."""
    url = _persistent(db)
    missing = missing_sqlite_file(url)
    if missing is not None:  # a state to report, not an error; and nothing is created
        typer.echo("- (empty)")
        typer.echo(f"note: no database file at {missing}; nothing was created", err=True)
        return
    with open_engine(url, readonly=True) as engine:
        rev = current_revision(engine)
    head = head_revision()
    state = "empty" if rev is None else ("head" if rev == head else f"behind {head}")
    typer.echo(f"{rev or '-'} ({state})")


@db_app.command("check")
def check_cmd(db: DbOption = None) -> None:
    """Fail when the database schema differs from the models (like `alembic check`)."""
    with open_engine(require_existing(_persistent(db)), readonly=True) as engine:
        require_schema(engine)
        diff = schema_diff(engine)
    if diff:
        raise StorageError(f"schema differs from the models in {len(diff)} place(s): {diff[0]}")
    typer.echo("schema matches the models")


@db_app.command("optimize")
def optimize_cmd(db: DbOption = None) -> None:
    """After a bulk load: refresh planner statistics and compact the full-text index."""
    with open_engine(require_existing(_persistent(db))) as engine:
        require_schema(engine)
        report = optimize(engine)
    total = sum(report.steps.values())
    typer.echo(f"optimized in {total:.1f} s: " + ", ".join(report.steps))
