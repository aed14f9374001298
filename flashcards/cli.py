"""The command line: options in, one call into the pipeline, messages out."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from flashcards import __version__
from flashcards.errors import FlashcardsError

DEFAULT_SOURCE = Path("source")
DEFAULT_OUT = Path("dist")

_F = TypeVar("_F", bound=Callable[..., Any])


def reports_errors(command: _F) -> _F:
    """Turn a FlashcardsError into its messages on stderr and exit status 1, with no traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except FlashcardsError as error:
            for message in error.messages():
                click.echo(message, err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _sources(paths: Sequence[Path]) -> list[Path]:
    return list(paths) or [DEFAULT_SOURCE]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flashcards")
def main() -> None:
    """Turn YAML study notes into Anki decks, one per language."""


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder for the .apkg files.",
)
@click.option("--dry-run", is_flag=True, help="Say what importing the build would do; write nothing.")
@reports_errors
def build(sources: tuple[Path, ...], out_dir: Path, dry_run: bool) -> None:
    """Build DIR/<deck-id>.<language>.apkg for every deck and language.

    SOURCES are YAML files or folders of them (default: source/). Beside each source a lock file
    (<name>.lock.yaml) remembers what earlier builds gave Anki: commit it with the source.
    """
    from flashcards.build import build as run_build
    from flashcards.summary import describe

    result = run_build(_sources(sources), out_dir, Path(), dry_run=dry_run)
    for warning in result.warnings:
        click.echo(warning.format(), err=True)
    for line in describe(result):
        click.echo(line)


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per finding on stderr; json: a report on stdout, for editors and CI.",
)
@reports_errors
def check(sources: tuple[Path, ...], strict: bool, output_format: str) -> None:
    """Check sources and templates for mistakes, without writing anything.

    Every problem is reported at once as file:line:column: key: message, errors first, then
    warnings. Exit status 1 when there is an error (or, with --strict, a warning).
    """
    from flashcards.check import check as run_check

    result = run_check(_sources(sources), Path())
    if output_format == "json":
        click.echo(result.to_json())
    else:
        for line in result.lines():
            click.echo(line, err=True)
        if not result.lines():
            click.echo("no problems found")
    if result.failed(strict=strict):
        sys.exit(1)


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of printing it.",
)
@reports_errors
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the source format.

    Editors that use yaml-language-server complete keys and underline mistakes as you type when a
    source starts with a line like:  # yaml-language-server: $schema=../schema/source.schema.json
    """
    from flashcards.schema import schema_json

    if output is None:
        click.echo(schema_json(), nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(schema_json(), encoding="utf-8")


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT / "preview",
    show_default=True,
    help="Folder for index.html.",
)
@reports_errors
def preview(sources: tuple[Path, ...], out_dir: Path) -> None:
    """Write DIR/index.html: every card of every deck and language, as Anki shows it.

    SOURCES are YAML files or folders of them (default: source/). Open the page in a browser.
    """
    from flashcards.preview import write_preview

    page, result = write_preview(_sources(sources), out_dir, Path())
    for warning in result.warnings:
        click.echo(warning.format(), err=True)
    for part in result.decks:
        click.echo(f"{part.name} [{part.language}]: {part.cards} cards")
    click.echo(f"{page}: {result.cards} cards")
