"""The merged corpus of unchanged inputs, kept: a second run over the same files skips read and merge.

The parse cache (:mod:`graphnews.read.cache`) spares parsing each unchanged file, but a
run still decodes every mention (1.4 million at 100k records) and merges them again. When
*every* file is unchanged, the merge's outcome is too: it is stored as one JSON file under
``corpora/`` in the cache folder (the :data:`MAX_CORPORA` used most recently are kept) and
loaded instead.

The key (:func:`corpus_key`) is a SHA-256 of the code the corpus depends on (reader, merge,
provider identity, model), the byte limit, the working folder, the paths as given, and
each file's path, size and ``mtime_ns``: one file added, removed, touched or moved is a
miss. Only the problems of the files are stored; those of the walk (symlinks not followed,
other record types) are found again on every run. The file is plain JSON (orjson), never
pickle, in the cache's private folder; one that does not decode is a miss. A file, not a
SQLite row: at 100k records the corpus is ~200 MB, which SQLite's overflow pages read at a
tenth of the speed of a file.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import tempfile
from array import array
from collections.abc import Iterable, Sequence
from datetime import datetime
from importlib import resources
from itertools import repeat
from operator import attrgetter
from sys import intern

import orjson

from .errors import InputError
from .gcpause import paused_gc
from .model import Article, Corpus, Provider, RelatedLink, Topic
from .read.cache import Stat, cache_dir, cache_version, private_folder

__all__ = ["MAX_CORPORA", "clear_corpora", "corpus_files", "corpus_folder", "corpus_key", "decode_corpus", "encode_corpus",
           "load_corpus", "store_corpus"]

#: Corpora kept, one a set of inputs: the ones used longest ago are removed first.
MAX_CORPORA = 3
#: Modules beyond the parse cache's whose code shapes a merged corpus.
_MERGE_MODULES = ("merge.py", "providers.py", "corpus_cache.py")
_ARTICLE_FIELDS = tuple(Article.__dataclass_fields__)
assert len(_ARTICLE_FIELDS) == 18, "the corpus cache's JSON layout follows Article's fields: update decode_corpus"
_ARTICLE_VALUES = attrgetter(*_ARTICLE_FIELDS)
_PUBLISHED, _SOURCES = _ARTICLE_FIELDS.index("published"), _ARTICLE_FIELDS.index("sources")
_from_iso = datetime.fromisoformat


def _code_version() -> str:
    digest = hashlib.sha256(cache_version().encode())
    package = resources.files("graphnews")
    for name in _MERGE_MODULES:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


def corpus_key(paths: Sequence[str], files: Sequence[str], stats: Sequence[Stat | None], max_bytes: int) -> str | None:
    """The fingerprint a corpus is stored under, or None when a file cannot be stat'ed or the working folder is gone."""
    if any(stat is None for stat in stats):
        return None
    try:
        here = os.getcwd()  # relative paths name other files from another folder
    except OSError:  # the working folder was removed
        return None
    digest = hashlib.sha256(_code_version().encode())
    digest.update(json.dumps([here, list(paths), max_bytes]).encode("utf-8", "surrogatepass"))
    for path, stat in zip(files, stats):
        digest.update(f"{path}\0{stat[0]}\0{stat[1]}\n".encode("utf-8", "surrogatepass"))  # type: ignore[index]
    return digest.hexdigest()


def encode_corpus(corpus: Corpus, skip_problems: int = 0) -> bytes:
    """``corpus`` as one JSON blob: articles as field lists, their sources and related links as numbers.

    ``skip_problems``: leading problems not stored (the walk's, found again on every run).

    >>> corpus = Corpus(articles={"article:a": Article("article:a", "a", "https://a", "A")})
    >>> decode_corpus(encode_corpus(corpus)) == corpus
    True
    """
    articles = list(corpus.articles.values())
    index = {article.id: position for position, article in enumerate(articles)}
    sources: dict[str, int] = {}  # file paths, each article's ~10 sources as numbers (at 100k, 76 MB of text)
    rows = []
    for article in articles:
        values = list(_ARTICLE_VALUES(article))
        if article.published is not None:
            values[_PUBLISHED] = article.published.isoformat()
        values[_SOURCES] = [sources.setdefault(source, len(sources)) for source in article.sources]
        rows.append(values)
    links = corpus.related
    qualities = [link.quality for link in links]
    document = {
        "sources": list(sources),
        "articles": rows,
        "providers": [[p.id, p.name, p.domain, p.names] for p in corpus.providers.values()],
        "topics": [[t.id, t.name] for t in corpus.topics.values()],
        # three columns of 32-bit numbers, base64: as JSON lists, 3.7M integers to make and free (1 s at 100k)
        "related": [_packed(index[link.source] for link in links), _packed(index[link.target] for link in links),
                    _packed(link.rank for link in links), qualities if any(q is not None for q in qualities) else None],
        "problems": [[p.path, p.message, p.line, p.fatal] for p in corpus.problems[skip_problems:]],
        "stats": corpus.stats,
        "yaml_reference": corpus.yaml_reference,
    }
    return orjson.dumps(document)


def decode_corpus(blob: bytes) -> Corpus:
    """The inverse of :func:`encode_corpus` (without the problems it skipped)."""
    document = orjson.loads(blob)
    paths = [intern(path) for path in document["sources"]]
    source_paths = paths.__getitem__
    articles: dict[str, Article] = {}
    for (article_id, url, link, title, excerpt, body, published, provider, topics, images, quality, kind, full,
         aliases, canonical_urls, sources, mentions, extra) in document["articles"]:
        articles[article_id] = Article(
            article_id, url, link, title, excerpt, body, _from_iso(published) if published else None,
            intern(provider) if provider else provider, tuple(map(intern, topics)), tuple(images), quality,
            intern(kind) if kind else kind, full, tuple(aliases), tuple(canonical_urls), tuple(map(source_paths, sources)),
            mentions, tuple(map(tuple, extra)))
    ids = list(articles)
    sources_column, targets_column, ranks_column, qualities = document["related"]
    ranks = _unpacked(ranks_column)
    related = list(map(RelatedLink, map(ids.__getitem__, _unpacked(sources_column)), map(ids.__getitem__, _unpacked(targets_column)),
                       ranks, repeat(None, len(ranks)) if qualities is None else qualities))
    providers = [Provider(intern(pid), name, domain, tuple(names)) for pid, name, domain, names in document["providers"]]
    topics = [Topic(intern(tid), name) for tid, name in document["topics"]]
    return Corpus(
        articles=articles,
        providers={provider.id: provider for provider in providers},
        topics={topic.id: topic for topic in topics},
        related=related,
        problems=[InputError(*p) for p in document["problems"]],
        stats=document["stats"],
        yaml_reference=document["yaml_reference"],
    )


def corpus_folder() -> str:
    """Where merged corpora are kept: ``corpora/`` in :func:`graphnews.read.cache.cache_dir`."""
    return os.path.join(cache_dir(), "corpora")


def _packed(numbers: Iterable[int]) -> str:
    """Non-negative numbers below 2**31 as the base64 of their 32-bit machine form (the cache never leaves the machine)."""
    return base64.b64encode(array("i", numbers).tobytes()).decode("ascii")


def _unpacked(text: str) -> array:
    """The inverse of :func:`_packed`."""
    numbers = array("i")
    numbers.frombytes(base64.b64decode(text))
    return numbers


def load_corpus(key: str) -> Corpus | None:
    """The corpus stored under ``key``, or None (absent, not our folder, or a file that does not decode)."""
    folder = corpus_folder()
    path = os.path.join(folder, key + ".json")
    if not os.path.exists(path) or private_folder(folder) is not None:
        return None
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
        os.utime(path)  # used now: pruning keeps the corpora used last
        with paused_gc():  # ~10 objects an article and one a related link, none of them garbage
            return decode_corpus(blob)
    except Exception:  # noqa: BLE001 - a damaged file is a miss, never an answer
        return None


def store_corpus(key: str, corpus: Corpus, skip_problems: int) -> None:
    """Keep ``corpus`` under ``key`` (see :func:`encode_corpus` for ``skip_problems``); never fails the run."""
    folder = corpus_folder()
    if private_folder(folder) is not None:
        return
    temporary = None
    try:
        blob = encode_corpus(corpus, skip_problems)
        descriptor, temporary = tempfile.mkstemp(prefix=".corpus.", suffix=".tmp", dir=folder)  # mode 0600
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(blob)
        os.replace(temporary, os.path.join(folder, key + ".json"))
        temporary = None
        _prune(folder)
    except (OSError, orjson.JSONEncodeError):  # a cache that cannot be written only costs speed next time
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.remove(temporary)


def _prune(folder: str) -> None:
    """Remove all but the :data:`MAX_CORPORA` corpora used most recently."""
    stored = corpus_files(folder)
    stored.sort(key=lambda path: os.stat(path).st_mtime_ns, reverse=True)
    for path in stored[MAX_CORPORA:]:
        with contextlib.suppress(OSError):
            os.remove(path)


def corpus_files(folder: str | None = None) -> list[str]:
    """The stored corpora's files (for ``graphnews cache info`` and ``clear``)."""
    folder = folder or corpus_folder()
    try:
        return [os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".json")]
    except OSError:
        return []


def clear_corpora() -> int:
    """Remove every stored corpus; how many there were."""
    removed = 0
    for path in corpus_files():
        with contextlib.suppress(OSError):
            os.remove(path)
            removed += 1
    return removed
