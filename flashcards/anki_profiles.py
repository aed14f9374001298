"""Where the learner's Anki collection is: a path given, a profile named, or the only profile there is.

Anki keeps every profile in a folder of its own under its data folder, which is, as Anki itself decides:
``$ANKI_BASE`` when set; else ``%APPDATA%\\Anki2`` on Windows, ``~/Library/Application Support/Anki2`` on
macOS, and ``$XDG_DATA_HOME/Anki2`` (by default ``~/.local/share/Anki2``) elsewhere. A profile's folder
holds ``collection.anki2`` and the ``backups`` folder Anki's restore dialog looks in.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flashcards.errors import FlashcardsError

COLLECTION_FILE = "collection.anki2"


class CollectionNotFound(FlashcardsError):
    """No collection at the place given, or no single profile to choose."""


@dataclass(frozen=True)
class CollectionLocation:
    collection: Path
    #: Where Anki's own backups of this collection go (the profile's ``backups`` folder).
    backups: Path


def anki_base(environ: Mapping[str, str] | None = None, platform: str | None = None) -> Path:
    """Anki's data folder on this platform, honouring Anki's own ``ANKI_BASE`` override."""
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if env.get("ANKI_BASE"):
        return Path(env["ANKI_BASE"]).expanduser()
    if system.startswith("win"):
        appdata = env.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(appdata) / "Anki2"
    if system == "darwin":
        return Path.home() / "Library" / "Application Support" / "Anki2"
    data = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "Anki2"


def profiles(base: Path) -> list[str]:
    """The profiles under ``base``: its folders that hold a collection, by name."""
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / COLLECTION_FILE).is_file())


def find_collection(
    collection: Path | None, profile: str | None, environ: Mapping[str, str] | None = None
) -> CollectionLocation:
    """The collection to sync into: ``collection`` as given, else the profile named, else the only one."""
    if collection is not None:
        if collection.is_dir():
            collection = collection / COLLECTION_FILE
        if not collection.is_file():
            raise CollectionNotFound(
                f"{collection}: no Anki collection here (give the path of collection.anki2)"
            )
        return CollectionLocation(collection, collection.parent / "backups")
    base = anki_base(environ)
    names = profiles(base)
    listed = ", ".join(f"'{name}'" for name in names)
    if profile is not None:
        if profile not in names:
            where = f"the profiles are {listed}" if names else "it holds no profile"
            raise CollectionNotFound(f"{base}: Anki has no profile named '{profile}'; {where}")
        chosen = profile
    elif len(names) == 1:
        chosen = names[0]
    elif not names:
        raise CollectionNotFound(
            f"{base}: no Anki profile found; open Anki once to make one, set ANKI_BASE to Anki's data "
            "folder, or give --collection PATH"
        )
    else:
        raise CollectionNotFound(
            f"{base}: Anki has several profiles ({listed}); choose one with --profile NAME"
        )
    folder = base / chosen
    return CollectionLocation(folder / COLLECTION_FILE, folder / "backups")
