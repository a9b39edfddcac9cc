"""Stages 1 and 2 in one call: read every record under some paths and merge them into a Corpus.

Kept out of ``graphnews/__init__.py`` so that importing the package (``graphnews --help``)
imports none of the stages, and no stage imports the package to reach another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .errors import InputError
from .merge import merge_mentions
from .model import Corpus
from .read import CACHE_MIN_FILES, DEFAULT_MAX_FILE_BYTES, read_paths, walk_inputs, walk_problems


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
    None: use it for 64+ files); with it, a corpus whose every file is unchanged since a
    run merged it is loaded whole (:mod:`graphnews.corpus_cache`). ``max_bytes`` defaults
    to ``graphnews.read.DEFAULT_MAX_FILE_BYTES``; ``follow_links`` follows symlinks that
    leave the inputs.
    """
    from .read.cache import file_stat
    from .read.stdin import STDIN_PATHS

    if max_bytes is None:
        max_bytes = DEFAULT_MAX_FILE_BYTES
    paths = list(paths)
    found, key = None, None
    if cache is not False and not STDIN_PATHS.intersection(paths):
        found = walk_inputs(paths, follow_links=follow_links)
        if cache or len(found.files) >= CACHE_MIN_FILES:
            from .corpus_cache import corpus_key, load_corpus

            key = corpus_key(paths, found.files, [file_stat(path) for path in found.files], max_bytes)
            corpus = load_corpus(key) if key is not None else None
            if corpus is not None:
                _add_walk_problems(corpus, walk_problems(found, paths))
                if on_progress is not None:
                    on_progress(len(found.files), len(found.files))
                corpus.inputs = tuple(paths)
                return corpus
    result = read_paths(paths, max_bytes=max_bytes, workers=workers, on_progress=on_progress, cache=cache,
                        follow_links=follow_links, walked=found)
    corpus = merge_mentions(result.mentions, result.problems, files=result.files, records=result.records)
    corpus.inputs = tuple(paths)
    corpus.yaml_reference = dict(result.yaml_reference)
    if key is not None and found is not None:
        from .corpus_cache import store_corpus

        store_corpus(key, corpus, skip_problems=len(walk_problems(found, paths)))
    return corpus


def _add_walk_problems(corpus: Corpus, problems: list[InputError]) -> None:
    """Put the walk's problems (found again on this run) before the files' and count them in the stats."""
    corpus.problems[:0] = problems
    corpus.stats["problems"] = sum(1 for problem in corpus.problems if problem.fatal)
    corpus.stats["warnings"] = sum(1 for problem in corpus.problems if not problem.fatal)
