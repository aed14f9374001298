"""Media in texts: images (``![alt](picture.png)``) and sounds (``[sound](word.mp3)``).

A file is found relative to its source file, must stay inside the project folder, and is packaged
under a name made from its content (``fc-<sha256 prefix>.<ext>``): the same file gets the same name in
every build, two different files never share one, and a changed file changes the text that refers to
it, so that Anki updates the note.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
AUDIO_TYPES = (".mp3", ".ogg", ".oga", ".opus", ".wav", ".m4a", ".flac")

#: Texts that may hold an image or a sound (the fast test before Markdown reads them).
MARKER = "]("

#: ``![alt](my picture.png)`` or ``[sound](my word.mp3)``: a path with a space, which Markdown reads as
#: text. Only used to tell the learner how to write it (images and sounds are found by Markdown itself).
WITH_A_SPACE = re.compile(r"!?\[[^\]\n]*\]\([^)\n]* [^)\n]*\)")

#: Characters of the content hash kept in a name: 64 bits, no collision in any collection.
_HASH_CHARS = 16

#: The largest media file Anki syncs (rslib's MAX_INDIVIDUAL_MEDIA_FILE_SIZE): a larger one would stay
#: on the computer it was imported on.
MAX_MEDIA_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class Resolved:
    name: str
    path: Path


class MediaError(ValueError):
    """A reference that cannot be packaged; the message says why."""


def space_message(written: str) -> str:
    """What to write instead of ``written``, a picture or sound whose path has a space."""
    label, _, path = written.partition("](")
    path = path[:-1].strip()
    what = "an image" if written.startswith("!") else "a sound"
    return (
        f"'{written}' is not read as {what}: a path with a space is written between < and >, "
        f"as in {label}](<{path}>)"
    )


def packaged_name(path: Path) -> str:
    with path.open("rb") as data:  # read in chunks: a file is never held whole in memory
        digest = hashlib.file_digest(data, "sha256").hexdigest()[:_HASH_CHARS]
    return f"fc-{digest}{path.suffix.lower()}"


def resolve(reference: str, *, sound: bool, source_dir: Path, root: Path) -> Resolved:
    """The file a reference names, checked; raises MediaError with a message for the learner."""
    what = "sound" if sound else "image"
    reference = reference.strip()
    if not reference:
        example = "[sound](word.mp3)" if sound else "![alt text](picture.png)"
        raise MediaError(f"the {what} names no file: write {example}")
    if "://" in reference or reference.startswith(("data:", "//")):
        raise MediaError(
            f"'{reference}' is not a file in the project: save the {what} beside the source and "
            "write its path, Anki cannot fetch it"
        )
    suffix = Path(reference).suffix.lower()
    allowed = AUDIO_TYPES if sound else IMAGE_TYPES
    if suffix not in allowed:
        kinds = ", ".join(allowed)
        raise MediaError(f"'{reference}' is not a supported {what} type (use {kinds})")
    target = (source_dir / reference).resolve()
    top = root.resolve()
    if not target.is_relative_to(top):
        raise MediaError(
            f"'{reference}' is outside the project folder {top.name or top}: keep media files inside it"
        )
    if target.exists() and not target.is_file():  # a folder, a pipe or a device: never read
        raise MediaError(f"'{reference}' is not a file (looked at {_shown(target, top)})")
    if not target.is_file():
        raise MediaError(f"{what} file '{reference}' not found (looked for {_shown(target, top)})")
    size = target.stat().st_size
    if size > MAX_MEDIA_BYTES:
        raise MediaError(
            f"'{reference}' has {size / 1024 / 1024:.0f} MB; a media file may have at most "
            f"{MAX_MEDIA_BYTES // 1024 // 1024} MB, the most Anki syncs: make it smaller"
        )
    return Resolved(packaged_name(target), target)


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
