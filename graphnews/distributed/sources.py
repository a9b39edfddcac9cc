"""Input files for the distributed build: local paths as ``graphnews build`` reads them, or fsspec URLs.

Local paths (and ``file://`` URLs) are listed by :func:`graphnews.read.find_files`, so
both engines read the same files in the same order. Other URLs (``s3://``, ``gs://``,
``abfs://``...) are listed with fsspec under the same rules (hidden entries, record
extensions, documentation files skipped) and each file is copied to a local temporary
file for :func:`graphnews.read.parse_file`; mentions and problems name the URL.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
from dataclasses import replace
from typing import Any

from ..errors import InputError
from ..model import Mention
from ..read import RECORD_EXTENSIONS, find_files, parse_file
from ..read.files import DOC_FILE_STEMS
from ..read.formats import FileResult, _too_big


def is_local(path: str) -> bool:
    """True for a plain path or a ``file://`` URL."""
    return "://" not in path or path.startswith("file://")


def local_path(path: str) -> str:
    """``file:///x/y`` -> ``/x/y``; plain paths unchanged."""
    return path[len("file://"):] if path.startswith("file://") else path


def list_inputs(paths: list[str] | tuple[str, ...]) -> list[tuple[str, int]]:
    """``(path, size in bytes)`` of every record file under ``paths``, sorted, each once.

    Raises :class:`InputError` for a URL that names nothing.
    """
    found: dict[str, int] = {}
    local = [local_path(path) for path in paths if is_local(path)]
    for path in find_files(local):
        try:
            found.setdefault(path, os.path.getsize(path))
        except OSError:
            found.setdefault(path, 0)  # parse_one reports it
    for url in (path for path in paths if not is_local(path)):
        found.update(_remote_files(url))
    return sorted(found.items())


def _remote_files(url: str) -> dict[str, int]:
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    if not fs.exists(root):
        raise InputError(url, "no such file or folder")
    if not fs.isdir(root):
        return {url: int(fs.info(root).get("size") or 0)}
    files = {}
    for path, info in fs.find(root, detail=True).items():
        relative = posixpath.relpath(path, root)
        if any(part.startswith(".") for part in relative.split("/")):
            continue
        stem, extension = os.path.splitext(posixpath.basename(path))
        if extension.lower() in RECORD_EXTENSIONS and stem.lower() not in DOC_FILE_STEMS:
            files[fs.unstrip_protocol(path)] = int(info.get("size") or 0)
    return files


def parse_one(path: str, max_bytes: int) -> FileResult | InputError:
    """Parse one file (local or fsspec URL); a file that cannot be read comes back as its problem."""
    try:
        if is_local(path):
            return parse_file(local_path(path), max_bytes)
        return _parse_remote(path, max_bytes)
    except InputError as error:
        return error


def _parse_remote(url: str, max_bytes: int) -> FileResult:
    import fsspec

    try:
        with fsspec.open(url, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        raise InputError(url, f"cannot read: {error.strerror or error}") from None
    if len(raw) > max_bytes:
        raise InputError(url, _too_big(len(raw), max_bytes))
    suffix = os.path.splitext(url)[1]
    with tempfile.TemporaryDirectory(prefix="graphnews-") as folder:
        local = os.path.join(folder, "record" + suffix)
        with open(local, "wb") as handle:
            handle.write(raw)
        try:
            result = parse_file(local, max_bytes)
        except InputError as error:
            raise InputError(url, error.message, error.line, error.fatal) from None
    result.path = url
    result.mentions = [_renamed(mention, local, url) for mention in result.mentions]
    result.problems = [InputError(url if p.path == local else p.path, p.message, p.line, p.fatal) for p in result.problems]
    return result


def _renamed(mention: Mention, old: str, new: str) -> Mention:
    related = tuple(_renamed(item, old, new) for item in mention.related)
    return replace(mention, source=new if mention.source == old else mention.source, related=related)


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem and path of a folder or URL (the output dataset)."""
    import fsspec

    return fsspec.core.url_to_fs(url)
