"""Finding input files: recursive, hidden entries skipped, symlink loops harmless.

What a walk leaves out, and says so in one line each:

* a symlink whose target lies outside every input root (``leak.md -> /etc/os-release``)
  is not followed unless asked (``follow_links=True``, ``--follow-links``);
* a folder holding a graphnews report (``index.html``, ``graph.json`` and
  ``centrality.csv``: ``graphnews explore .`` writes ``output/`` inside its own input);
* the dataset's records that are not news articles: profiles under ``_people/``,
  taxonomies under ``_data/`` (``_data/topics``), ``_events/``: counted, one line for all.

The walk is iterative (a folder nested 1,500 deep is walked like any other), and file
names that are not UTF-8 are listed as Python holds them (surrogate escapes); problems
show them escaped (:func:`graphnews.errors.printable`).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import InputError

#: Extensions read when walking a directory. A file named on the command line is read
#: whatever its extension (its format is detected from its content).
RECORD_EXTENSIONS = frozenset({".md", ".markdown", ".txt", ".yaml", ".yml", ".json", ".jsonl", ".ndjson"})
#: Documentation that sits beside records in a folder; not read when walking a directory.
DOC_FILE_STEMS = frozenset({"readme", "license", "licence", "changelog", "contributing", "authors", "notice"})
#: Folders of the dataset that hold other record types than news articles.
OTHER_RECORD_FOLDERS = {"_people": "people profiles", "_data": "data/taxonomy files", "_events": "events"}
#: A folder holding all of these is a graphnews report, never input.
REPORT_MARKERS = ("index.html", "graph.json", "centrality.csv")


@dataclass
class FoundFiles:
    """The record files of a walk, sorted, and what it left out."""

    files: list[str] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    #: Files of other record types, by folder name (``_people``: 3).
    other_types: Counter[str] = field(default_factory=Counter)


def find_files(paths: Iterable[str], *, follow_links: bool = False) -> list[str]:
    """List the record files under ``paths`` (files or directories), sorted, each once.

    Directories are walked recursively, every real directory entered once, so a link back
    to a parent cannot loop. Hidden files and folders (a leading dot) are skipped; so are
    files whose extension is not a record format and documentation files (``README.md``,
    ``LICENSE.txt``: see :data:`DOC_FILE_STEMS`). See :func:`walk_inputs` for what else is
    left out.
    """
    return walk_inputs(paths, follow_links=follow_links).files


def walk_inputs(paths: Iterable[str], *, follow_links: bool = False) -> FoundFiles:
    """:func:`find_files` with the problems of the walk and the count of other record types."""
    paths = list(paths)
    roots = [os.path.realpath(path) for path in paths if os.path.isdir(path)]
    found: dict[str, None] = {}
    result = FoundFiles()
    seen_dirs: set[tuple[int, int]] = set()
    for path in paths:
        if os.path.isdir(path):
            _walk(path, roots, follow_links, seen_dirs, found, result)
        elif _other_type(path) is not None:
            result.other_types[_other_type(path)] += 1  # type: ignore[index]
        else:
            found.setdefault(path, None)
    result.files = sorted(found)
    return result


def _walk(root: str, roots: list[str], follow_links: bool, seen_dirs: set[tuple[int, int]], found: dict[str, None],
          result: FoundFiles) -> None:
    """Walk ``root`` with a stack (no recursion); folders are known by (device, inode), so each is entered once."""
    stack: list[tuple[str, str | None]] = [(root, None)]
    while stack:
        folder, other = stack.pop()
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in seen_dirs:
                continue
            seen_dirs.add((info.st_dev, info.st_ino))
            entries = list(os.scandir(folder))
        except OSError:
            continue
        names = {entry.name for entry in entries}
        if folder != root and all(marker in names for marker in REPORT_MARKERS):
            result.problems.append(InputError(folder, "a graphnews report folder (index.html, graph.json ...); not read as input", fatal=False))
            continue
        for entry in sorted(entries, key=lambda entry: entry.name, reverse=True):
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
                if entry.is_symlink() and not follow_links and not _inside(os.path.realpath(entry.path), roots):
                    result.problems.append(InputError(
                        entry.path, f"symlink to {os.path.realpath(entry.path)}, outside the input folders; not followed "
                        "(--follow-links follows it)", fatal=False))
                    continue
            except OSError:
                continue
            if is_dir:
                stack.append((entry.path, other or (entry.name if entry.name in OTHER_RECORD_FOLDERS else None)))
                continue
            stem, extension = os.path.splitext(entry.name)
            if extension.lower() in RECORD_EXTENSIONS and stem.lower() not in DOC_FILE_STEMS:
                if other is not None:
                    result.other_types[other] += 1
                else:
                    found.setdefault(entry.path, None)


def _inside(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _other_type(path: str) -> str | None:
    """The dataset folder (``_people``, ``_data``, ``_events``) named in ``path`` (relative to its input), if any."""
    for part in os.path.normpath(path).split(os.sep):
        if part in OTHER_RECORD_FOLDERS:
            return part
    return None


def other_types_note(found: FoundFiles, paths: list[str]) -> InputError | None:
    """One warning for all files of other record types (None when there are none)."""
    if not found.other_types:
        return None
    total = sum(found.other_types.values())
    kinds = ", ".join(f"{name}/ {OTHER_RECORD_FOLDERS[name]}: {count:,}" for name, count in sorted(found.other_types.items()))
    where = paths[0] if len(paths) == 1 else os.path.commonpath([os.path.abspath(p) for p in paths]) if paths else "."
    return InputError(where, f"{total:,} files of the dataset's other record types, not news articles, were not read ({kinds})",
                      fatal=False)
