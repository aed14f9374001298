"""Create a new deck project that builds as it is: an example source, the templates, a README.

Besides, the JSON Schema of the source (for editors) and a .gitignore for the build output.

The project's files ship inside the package (``flashcards/starter``), beside the default templates, so
that an installed copy finds them from any folder.
"""

from __future__ import annotations

import os
import shutil
from importlib import resources
from pathlib import Path

from flashcards.errors import Problem, SourceError
from flashcards.render import default_templates_dir
from flashcards.schema import schema_json

#: Where the project keeps the source format's JSON Schema (the example source's first line points to it).
SCHEMA_FILE = Path("schema") / "source.schema.json"

#: Files copied under another name: a dotfile would be left out of the package, or read as its own.
_RENAMED = {"gitignore": ".gitignore"}
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


def starter_dir() -> Path:
    """The example project that ships with flashcards."""
    return Path(str(resources.files("flashcards"))) / "starter"


def create_project(directory: Path) -> list[str]:
    """Fill ``directory`` (new or empty) with a project; returns what it created, for the user to read.

    On any failure, whatever was created is removed again.
    """
    _check_new_or_empty(directory)
    made_folder = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    try:
        for item in sorted(starter_dir().iterdir()):
            if _IGNORED(str(item.parent), [item.name]):
                continue
            target = directory / _RENAMED.get(item.name, item.name)
            created.append(target)
            if item.is_dir():
                shutil.copytree(item, target, ignore=_IGNORED, copy_function=shutil.copyfile)
            else:
                shutil.copyfile(item, target)
        schema = directory / SCHEMA_FILE
        created.append(schema.parent)
        schema.parent.mkdir()
        schema.write_text(schema_json(), encoding="utf-8")
        created.append(directory / "templates")
        shutil.copytree(
            default_templates_dir(), directory / "templates", ignore=_IGNORED, copy_function=shutil.copyfile
        )
    except BaseException:
        if made_folder:
            shutil.rmtree(directory, ignore_errors=True)
        else:
            for path in created:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
        raise
    return [_describe(directory, path) for path in sorted(created)]


def _check_new_or_empty(directory: Path) -> None:
    message = ""
    if directory.is_symlink() and not directory.exists():
        message = f"is a link to {os.readlink(directory)}, which does not exist; name a new or empty folder"
    elif directory.exists() and not directory.is_dir():
        message = "is a file; name a new or empty folder"
    elif directory.is_dir() and any(directory.iterdir()):
        message = "the folder is not empty; flashcards init needs a new or empty folder"
    if message:
        raise SourceError([Problem(str(directory), None, None, message)])


def _describe(directory: Path, path: Path) -> str:
    relative = path.relative_to(directory)
    if path.is_dir():
        files = sorted(p.relative_to(directory).as_posix() for p in path.rglob("*") if p.is_file())
        if len(files) <= 3:
            return ", ".join(files)
        return f"{relative.as_posix()}/ ({len(files)} files)"
    return relative.as_posix()
