"""Finding input files: recursive, hidden entries skipped, symlink loops harmless."""

from __future__ import annotations

import os
from collections.abc import Iterable

#: Extensions read when walking a directory. A file named on the command line is read
#: whatever its extension (its format is detected from its content).
RECORD_EXTENSIONS = frozenset({".md", ".markdown", ".txt", ".yaml", ".yml", ".json", ".jsonl", ".ndjson"})
#: Documentation that sits beside records in a folder; not read when walking a directory.
DOC_FILE_STEMS = frozenset({"readme", "license", "licence", "changelog", "contributing", "authors", "notice"})


def find_files(paths: Iterable[str]) -> list[str]:
    """List the record files under ``paths`` (files or directories), sorted, each once.

    Directories are walked recursively following symlinks, but every real directory is
    entered once, so a link back to a parent cannot loop. Hidden files and folders (a
    leading dot) are skipped; so are files whose extension is not a record format and
    documentation files (``README.md``, ``LICENSE.txt``: see :data:`DOC_FILE_STEMS`).
    """
    found: dict[str, None] = {}
    seen_dirs: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            for file_path in _walk(path, seen_dirs):
                found.setdefault(file_path, None)
        else:
            found.setdefault(path, None)
    return sorted(found)


def _walk(root: str, seen_dirs: set[str]) -> Iterable[str]:
    real = os.path.realpath(root)
    if real in seen_dirs:
        return
    seen_dirs.add(real)
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if is_dir:
            yield from _walk(entry.path, seen_dirs)
        else:
            stem, extension = os.path.splitext(entry.name)
            if extension.lower() in RECORD_EXTENSIONS and stem.lower() not in DOC_FILE_STEMS:
                yield entry.path
