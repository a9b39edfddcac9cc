"""Stages 1 and 2 in one call: read every record under some paths and merge them into a Corpus.

Kept out of ``graphnews/__init__.py`` so that importing the package (``graphnews --help``)
imports none of the stages, and no stage imports the package to reach another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .merge import merge_mentions
from .model import Corpus
from .read import DEFAULT_MAX_FILE_BYTES, read_paths


def load(
    paths: Iterable[str],
    *,
    max_bytes: int | None = None,
    workers: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    cache: bool | None = False,
    follow_links: bool = False,
) -> Corpus:
    """Read every record under ``paths`` and merge them into a :class:`Corpus`.

    Unreadable files do not stop the run: each becomes an :class:`InputError` in
    ``corpus.problems`` (``fatal`` ones cost a file or record, the rest are warnings).
    ``cache`` is passed to :func:`graphnews.read.read_paths` (True: use the parse cache,
    None: use it for 64+ files); ``max_bytes`` defaults to ``graphnews.read.DEFAULT_MAX_FILE_BYTES``;
    ``follow_links`` follows symlinks that leave the inputs.
    """
    if max_bytes is None:
        max_bytes = DEFAULT_MAX_FILE_BYTES
    paths = list(paths)
    result = read_paths(paths, max_bytes=max_bytes, workers=workers, on_progress=on_progress, cache=cache,
                        follow_links=follow_links)
    corpus = merge_mentions(result.mentions, result.problems, files=result.files, records=result.records)
    corpus.inputs = tuple(paths)
    corpus.yaml_reference = dict(result.yaml_reference)
    return corpus
