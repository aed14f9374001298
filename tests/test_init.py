"""`flashcards init`: a new project that builds as it is, from a checkout or an installed copy."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection

from flashcards.render import default_templates_dir
from flashcards.schema import schema_json

from helpers import InstalledCopy, import_package, rendered_cards, run_cli

INIT_OUTPUT = """\
Created my-deck:
  .gitignore
  README.md
  schema/source.schema.json
  source/sorting.yaml
  templates/ (27 files)
Next: cd my-deck && flashcards build
"""

BUILD_OUTPUT = [
    "dist/sorting.ja.apkg: ソートアルゴリズム (13 notes, 26 cards)",
    "  since the last build: 13 new",
    "dist/sorting.en.apkg: Sorting algorithms (13 notes, 26 cards)",
    "  since the last build: 13 new",
]
#: The example's English descriptions say "inserting" and "merging": the build masks them.
BUILD_NOTE = (
    "source/sorting.yaml: 3 fronts show a gap in place of the answer each asks for "
    "('flashcards check' lists them)\n"
)


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def assert_the_example_deck(collection: Collection, dist: Path) -> None:
    """Both packages import as new notes, and the cards say what the example source says."""
    for lang in ("ja", "en"):
        summary = import_package(collection, dist / f"sorting.{lang}.apkg")
        assert (summary.new, summary.duplicate, summary.conflicting) == (13, 0, 0)
    names = {d.name for d in collection.decks.all_names_and_ids()}
    assert {"ソートアルゴリズム", "Sorting algorithms"} <= names
    (card,) = rendered_cards(collection, '"Question:A short list*"')
    assert card.answer.split("\n") == [
        "Sorting algorithms",
        "Question",
        "A short list that is almost sorted gets a few new elements and has to be sorted again. "
        "Which algorithm should you use?",
        "Options",
        "Insertion sort",
        "Merge sort",
        "Answer",
        "Insertion sort",
        "Explanation",
        "Use insertion sort. On almost sorted data it moves only a few elements, so it sorts quickly.",
    ]
    (card,) = rendered_cards(collection, "card:NameToDescription Name:マージソート")
    assert (
        card.answer.split("\n")[-1] == "列を半分に分けてそれぞれを整列し、整列済みの2つの列を併合する整列法。"
    )


def test_init_makes_a_project_that_builds(tmp_path: Path, collection: Collection) -> None:
    result = run_cli(["init", "my-deck"], tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, INIT_OUTPUT, "")
    project = tmp_path / "my-deck"
    files = files_under(project)
    assert sorted(name for name in files if not name.startswith("templates/")) == [
        ".gitignore",
        "README.md",
        "schema/source.schema.json",
        "source/sorting.yaml",
    ]
    assert files[".gitignore"] == b"/dist/\n"
    assert files["schema/source.schema.json"].decode("utf-8") == schema_json()
    assert {
        k.removeprefix("templates/"): v for k, v in files.items() if k.startswith("templates/")
    } == files_under(default_templates_dir())

    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr
    assert (result.stdout.splitlines(), result.stderr) == (BUILD_OUTPUT, BUILD_NOTE)
    assert_the_example_deck(collection, project / "dist")


def test_the_copied_templates_restyle_the_cards(tmp_path: Path, collection: Collection) -> None:
    assert run_cli(["init", "my-deck"], tmp_path).exit_code == 0
    project = tmp_path / "my-deck"
    labels = project / "templates" / "labels.yaml"
    labels.write_text(
        labels.read_text(encoding="utf-8").replace("  answer: Answer\n", "  answer: Use\n"), "utf-8"
    )
    assert run_cli(["build"], project).exit_code == 0
    import_package(collection, project / "dist" / "sorting.en.apkg")
    (card,) = rendered_cards(collection, '"Question:A short list*"')
    assert card.answer.split("\n")[6:8] == ["Use", "Insertion sort"]


def test_init_fills_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "my-deck").mkdir()
    result = run_cli(["init", "my-deck"], tmp_path)
    assert (result.exit_code, result.stdout) == (0, INIT_OUTPUT)
    assert (tmp_path / "my-deck" / "source" / "sorting.yaml").is_file()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "my-deck").mkdir()
    (tmp_path / "my-deck" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli(["init", "my-deck"], tmp_path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "my-deck: the folder is not empty; flashcards init needs a new or empty folder\n"
    assert files_under(tmp_path / "my-deck") == {"notes.txt": b"mine"}


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "my-deck").write_text("mine", encoding="utf-8")
    result = run_cli(["init", "my-deck"], tmp_path)
    assert (result.exit_code, result.stderr) == (1, "my-deck: is a file; name a new or empty folder\n")
    assert (tmp_path / "my-deck").read_text(encoding="utf-8") == "mine"


def test_init_refuses_a_link_to_nowhere(tmp_path: Path) -> None:
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    result = run_cli(["init", "dangling"], tmp_path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"dangling: is a link to {tmp_path / 'nowhere'}, which does not exist; name a new or empty folder\n"
    )
    assert not (tmp_path / "nowhere").exists()


def test_an_installed_copy_inits_a_project_from_any_folder(
    installed_copy: InstalledCopy, tmp_path: Path, collection: Collection
) -> None:
    """A non-editable install (a wheel) run in a fresh folder: the starter files come from the package."""
    site = installed_copy.site
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    flashcards = installed_copy.flashcards
    where = installed_copy.evaluate("s.starter_dir()", "flashcards.scaffold as s", elsewhere)
    assert Path(where) == site / "flashcards" / "starter"

    result = flashcards("init", "my-deck", cwd=elsewhere)
    assert (result.returncode, result.stdout, result.stderr) == (0, INIT_OUTPUT, "")
    project = elsewhere / "my-deck"
    copied = {
        k.removeprefix("templates/"): v for k, v in files_under(project).items() if k.startswith("templates/")
    }
    assert copied == files_under(site / "flashcards" / "templates")

    result = flashcards("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == BUILD_OUTPUT
    assert_the_example_deck(collection, project / "dist")
