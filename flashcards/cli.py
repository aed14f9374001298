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
        except OSError as error:  # a folder that cannot be written, a full disk: say so, without a traceback
            where = error.filename if error.filename is not None else "flashcards"
            click.echo(f"{where}: {error.strerror or error}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


#: ``-o DIR``: where ``build`` and ``sync`` write the packages.
packages_folder = click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder for the .apkg files.",
)


def _sources(paths: Sequence[Path]) -> list[Path]:
    return list(paths) or [DEFAULT_SOURCE]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flashcards")
def main() -> None:
    """Turn YAML study notes into Anki decks, one per language."""


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@packages_folder
@click.option("--dry-run", is_flag=True, help="Say what importing the build would do; write nothing.")
@reports_errors
def build(sources: tuple[Path, ...], out_dir: Path, dry_run: bool) -> None:
    """Build DIR/<deck-id>.<language>.apkg for every deck and language.

    SOURCES are YAML files or folders of them (default: source/). Beside each source a lock file
    (<name>.lock.yaml) remembers what earlier builds gave Anki: commit it with the source.
    """
    from flashcards.build import build as run_build
    from flashcards.lint import build_lines
    from flashcards.summary import describe

    result = run_build(_sources(sources), out_dir, Path(), dry_run=dry_run)
    for line in build_lines(result.warnings):
        click.echo(line, err=True)
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
    warnings (at the line of their entry); one about a whole file as file: message. Exit status 1
    when there is an error (or, with --strict, a warning).
    """
    from flashcards.check import check as run_check

    result = run_check(_sources(sources), Path())
    if output_format == "json":
        click.echo(result.to_json())
    else:
        for line in result.lines():
            click.echo(line, err=True)
        if not result.problems:
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
@click.option("--watch", is_flag=True, help="Write the page again whenever a source or template changes.")
@reports_errors
def preview(sources: tuple[Path, ...], out_dir: Path, watch: bool) -> None:
    """Write DIR/index.html: every card of every deck and language, as Anki shows it.

    SOURCES are YAML files or folders of them (default: source/). Open the page in a browser;
    with --watch, reload it after each edit (Ctrl-C stops watching).
    """
    from flashcards.preview_site import write_preview

    def write() -> list[str]:
        page, result = write_preview(_sources(sources), out_dir, Path())
        from flashcards.lint import build_lines

        lines = build_lines(result.warnings)
        for warning in lines:
            click.echo(warning, err=True)
        return [f"{part.name} [{part.language}]: {part.cards} cards" for part in result.decks] + [
            f"{page}: {result.cards} cards"
        ]

    if not watch:
        for line in write():
            click.echo(line)
        return

    from flashcards.watch import watch_preview

    def report(lines: list[str], problems: list[str]) -> None:
        for line in lines:
            click.echo(line)
        for problem in problems:
            click.echo(problem, err=True)

    click.echo("watching for changes; Ctrl-C stops")
    try:
        watch_preview(_sources(sources), out_dir, Path(), write, report)
    except KeyboardInterrupt:
        click.echo("stopped watching")


@main.command("import")
@click.argument("notes", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    metavar="FILE",
    help="Where to write the source (default: source/<deck-id>.yaml); '-' prints it.",
)
@click.option("--force", is_flag=True, help="Replace FILE if it holds the same deck.")
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="HEADER=FIELD",
    help="Read the column (or row) HEADER as FIELD: name, description, features, pros, cons, example, "
    "question, answer or skip. Repeat for several.",
)
@click.option("--language", metavar="CODE", help="The sheet's language (ja, en, zh, ko, de, fr, es, …).")
@click.option("--dry-run", is_flag=True, help="Say what would be read and written; write nothing.")
@reports_errors
def import_(
    notes: Path,
    output: str | None,
    force: bool,
    columns: tuple[str, ...],
    language: str | None,
    dry_run: bool,
) -> None:
    """Turn a study sheet (NOTES) into a source YAML file.

    NOTES is Markdown or plain text (pipe tables), CSV, TSV, HTML or an .xlsx spreadsheet, in UTF-8,
    UTF-16 or Shift_JIS. Every table of concepts is read, its columns named like 手法 | 説明 | 特徴 |
    利点 | 欠点 | サンプル or Technique | Description | Features | Pros | Cons | Example (or one column
    a concept, with the fields as rows); a heading above each of several tables becomes its topic. Then
    the questions and the answers, paired by their numbers (1., ①, Q1, 問1 …), by an answer written
    under its question, or in order.

    Import prints what it read: each table's columns and fields, each question's concept. Each answer
    is linked to the concept its first sentence names; an answer that names none, or several, is
    reported with its line, and its question is written with answer: "" and a TODO comment.

    The source goes to source/<deck-id>.yaml, or to FILE; '-o -' prints it. An existing file is kept
    unless --force, and a file that holds another deck is never replaced.
    """
    from flashcards.importer.importing import check_options, import_sheet, write_source
    from flashcards.importer.wording import count

    try:
        choices = check_options(columns, language)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    imported = import_sheet(notes, str(notes), choices, language)
    for warning in imported.warnings:
        click.echo(warning.format(), err=True)
    if output == "-":
        for line in imported.reading():
            click.echo(line, err=True)
        click.echo(imported.text, nl=False)
        return
    target = Path(output) if output else imported.default_output()
    write_source(imported, target, force=force, dry_run=dry_run)
    for line in imported.reading():
        click.echo(line)
    draft = imported.draft
    summary = f"{target}: {count(len(draft.concepts), 'concept')}, {count(len(draft.questions), 'question')}"
    if imported.unlinked:
        summary += f" ({imported.unlinked} without an answer: fill in the TODOs)"
    click.echo(f"{summary} (dry run: nothing written)" if dry_run else summary)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@reports_errors
def init(directory: Path) -> None:
    """Create a new deck project in DIRECTORY that builds as it is.

    It holds an example source in Japanese and English (source/), a copy of the card templates to
    restyle (templates/), the source format's JSON Schema for editors (schema/), a README and a
    .gitignore. DIRECTORY must be new or empty.
    """
    from flashcards.scaffold import create_project

    created = create_project(directory)
    click.echo(f"Created {directory}:")
    for path in created:
        click.echo(f"  {path}")
    click.echo(f"Next: cd {directory} && flashcards build")


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@packages_folder
@click.option(
    "--collection",
    type=click.Path(path_type=Path),
    help="The collection (collection.anki2, or the profile folder that holds it).",
)
@click.option(
    "--profile",
    metavar="NAME",
    help="The Anki profile, in Anki's data folder or $ANKI_BASE (default: the only one there is).",
)
@click.option("--dry-run", is_flag=True, help="Say what sync would change; change and write nothing.")
@click.option(
    "--delete-removed", is_flag=True, help="Delete removed entries' notes instead of suspending them."
)
@click.option("--keep-anki-edits", is_flag=True, help="Keep the text of notes edited in Anki.")
@click.option(
    "--allow-full-sync", is_flag=True, help="Go ahead when the change needs a full upload to AnkiWeb."
)
@reports_errors
def sync(
    sources: tuple[Path, ...],
    out_dir: Path,
    collection: Path | None,
    profile: str | None,
    dry_run: bool,
    delete_removed: bool,
    keep_anki_edits: bool,
    allow_full_sync: bool,
) -> None:
    """Build, then apply the packages to your Anki collection (close Anki first).

    Does what File > Import would, with the options the build needs, and then what an import cannot:
    notes get the source's text whatever their modification times (edits made in Anki are listed
    first), removed entries' cards are suspended, cards whose topic changed move to its subdeck, and
    the decks bury siblings. Anki's own backup of the collection is taken first.
    """
    if collection is not None and profile is not None:
        raise click.UsageError("give --collection or --profile, not both")
    from flashcards.anki_profiles import find_collection
    from flashcards.sync import sync as run_sync
    from flashcards.sync_result import SyncOptions
    from flashcards.sync_summary import describe_sync

    location = find_collection(collection, profile)
    options = SyncOptions(dry_run, delete_removed, keep_anki_edits, allow_full_sync)
    built, result = run_sync(_sources(sources), out_dir, Path(), location, options)
    from flashcards.lint import build_lines

    # A build warns that Anki will not move the cards of a note whose topic changed: sync moves them.
    topic = "the topic changed since the last build"
    for line in build_lines([w for w in built.warnings if not w.message.startswith(topic)]):
        click.echo(line, err=True)
    for line in describe_sync(result):
        click.echo(line)
    if built.written:
        click.echo("packages: " + ", ".join(str(p.path) for p in built.packages))
