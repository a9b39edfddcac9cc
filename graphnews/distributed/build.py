"""``graphnews build --engine dask``: read, merge and tabulate a corpus on a Dask cluster.

Stages (each a set of Dask tasks; the client only lists files and receives counts,
problems and the small provider/topic tallies, never the mentions):

1. **list + partition** (client): the files under PATHS, sorted as
   :func:`graphnews.read.find_files` sorts them, cut into contiguous partitions of about
   :data:`PARTITION_BYTES`.
2. **parse** (one task per partition): :func:`graphnews.read.parse_file` on each file,
   every mention's identity keys (canonical URLs: the same ``_Memo.keys`` the
   single-machine merge uses), the key pairs that join two keys (edges for stage 3), and
   the related links as (owner key, item key, rank, quality), and the provider and topic
   tallies (added up on the cluster in file order: the topic names the articles need).
3. **identity components** (:mod:`.components`, large-star/small-star on the key
   graph): every key gets the smallest key id of its connected component.
4. **shuffle + merge**: mentions are sent to bucket ``label % B``, so every mention of a
   story meets in one bucket; each bucket runs :func:`graphnews.merge.merge_mentions`
   on its mentions in global file order (the same code, and so the same articles, as the
   single-machine path: 64-bit key ids only decide co-location, the merge itself
   compares the key strings, so a hash collision cannot join two stories), and writes its
   article nodes and their ``published_by``/``tagged`` edges at once.
5. **links**: related links are resolved to article ids in two hash shuffles (by the
   owner's bucket, then by the item's), self-links dropped, repeated pairs keep the best
   rank, as in :func:`graphnews.merge.merge_mentions`.
6. **write**: each bucket writes its related edges, and one task the provider and topic
   nodes (:mod:`.schema`).

Fault tolerance is Dask's: a result lost with a worker is recomputed from its inputs,
parts have deterministic names and are renamed into place, so a task that runs twice
writes the same file once. A task whose workers keep dying fails the build with a
message naming it, and nothing is moved to the output.
"""

from __future__ import annotations

import hashlib
import operator
import pickle
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from ..build import PUBLISHED_BY, RELATED, TAGGED, article_attributes
from ..errors import GraphnewsError, InputError
from ..merge import _Memo, _most_common, merge_mentions
from ..model import Article, Mention
from ..providers import provider_key
from ..read import DEFAULT_MAX_FILE_BYTES
from . import schema
from .components import connected_components, label_of
from .sources import filesystem, list_inputs, parse_one

#: Target input bytes per parse partition (a partition is also the unit re-run after a failure).
PARTITION_BYTES = 16 * 1024 * 1024
#: At most this many files in one partition (many small Markdown files).
PARTITION_FILES = 2_000
#: Upper bound on shuffle buckets (tasks grow as partitions x buckets).
MAX_BUCKETS = 64

Stage = Callable[[str, float | None], None]


@dataclass
class BuildResult:
    """What a distributed build wrote: counts (as ``Corpus.stats``), problems, per-stage seconds."""

    output: str
    stats: dict[str, int]
    problems: list[InputError]
    timings: dict[str, float] = field(default_factory=dict)
    edge_counts: dict[str, int] = field(default_factory=dict)
    providers: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    merged: list[tuple[str, int]] = field(default_factory=list)
    rounds: int = 0
    partitions: int = 0
    buckets: int = 0


class ClusterError(GraphnewsError):
    """The cluster could not finish the build (workers kept dying, scheduler unreachable)."""


def key_id(key: str) -> int:
    """64-bit id of an identity key (the first 8 bytes of its BLAKE2b digest, signed).

    >>> key_id("cnn.com/a") == key_id("cnn.com/a"), key_id("cnn.com/a") == key_id("cnn.com/b")
    (True, False)
    """
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


_MENTION_FIELDS = tuple(f.name for f in fields(Mention))
_RELATED = _MENTION_FIELDS.index("related")
_MENTION_VALUES = operator.attrgetter(*_MENTION_FIELDS)


def mention_row(mention: Mention) -> tuple[Any, ...]:
    """A mention as a plain tuple (without its related items): 5x cheaper to pickle and back than the dataclass.

    >>> m = Mention("a.md", 1, True, urls=("https://a.com/1",), title="One")
    >>> Mention(*mention_row(m)) == m
    True
    """
    row = _MENTION_VALUES(mention)
    return (*row[:_RELATED], (), *row[_RELATED + 1:]) if mention.related else row


def _pack(value: object) -> bytes:
    """Pickle and compress (Zstandard level 1 through pyarrow: 3x faster than zlib level 1, and smaller).

    The first 8 bytes hold the pickle's length, which the decompressor needs.
    """
    import pyarrow as pa

    raw = pickle.dumps(value, protocol=5)
    return len(raw).to_bytes(8, "little") + pa.compress(raw, codec="zstd", asbytes=True)


def _unpack(blob: bytes) -> Any:
    import pyarrow as pa

    size = int.from_bytes(blob[:8], "little")
    raw = pa.decompress(memoryview(blob)[8:], decompressed_size=size, codec="zstd", asbytes=True)
    return pickle.loads(raw)  # our own tasks' output, never user data


def partition_files(files: Sequence[tuple[str, int]], target_bytes: int = PARTITION_BYTES,
                    max_files: int = PARTITION_FILES) -> list[list[str]]:
    """Contiguous runs of ``(path, size)`` of about ``target_bytes`` each (order kept).

    >>> partition_files([("a", 5), ("b", 5), ("c", 5)], target_bytes=10)
    [['a', 'b'], ['c']]
    """
    parts: list[list[str]] = []
    size = 0
    for path, length in files:
        if not parts or (parts[-1] and (size + length > target_bytes or len(parts[-1]) >= max_files)):
            parts.append([])
            size = 0
        parts[-1].append(path)
        size += length
    return parts


# --- stage 2: parse ---------------------------------------------------------------------------------------------

def parse_partition(number: int, files: Sequence[str], max_bytes: int) -> dict[str, Any]:
    """Parse one partition: packed mentions and their first-key ids, key edges, link rows, tallies, problems.

    Mentions are flattened as :func:`graphnews.merge.merge_mentions` flattens them (each
    record, then its related items); ``order`` = ``number << 32 | position`` is the global
    file order the merge sorts ties by. The provider and topic tallies are counted here,
    not after the merge, so the topic names are known before the buckets write their articles.
    """
    memo = _Memo()
    flat: list[tuple[Any, ...]] = []
    first_keys: list[str] = []
    edge_u: list[int] = []
    edge_v: list[int] = []
    links: list[tuple[str, str, int, int | None]] = []  # owner key, item key, rank, quality
    problems: list[InputError] = []
    seen: list[Mention] = []
    records = 0
    for path in files:
        outcome = parse_one(path, max_bytes)
        if isinstance(outcome, InputError):
            problems.append(outcome)
            continue
        problems.extend(outcome.problems)
        records += outcome.records
        for mention in outcome.mentions:
            owner_key = _add(mention, flat, first_keys, edge_u, edge_v, memo)
            seen.append(mention)
            for rank, item in enumerate(mention.related):
                item_key = _add(item, flat, first_keys, edge_u, edge_v, memo)
                links.append((owner_key, item_key, rank, item.quality))
                seen.append(item)
    ids = np.fromiter((key_id(key) for key in first_keys), np.int64, len(first_keys))
    names, domains, topics = _tallies(seen, memo)
    return {
        "mentions": _pack((flat, first_keys)),
        "ids": ids,
        "edges": (np.array(edge_u, np.int64), np.array(edge_v, np.int64)),
        "links": _pack(links),
        "link_ids": np.array([key_id(owner) for owner, _i, _r, _q in links], np.int64),
        "item_ids": np.array([key_id(item) for _o, item, _r, _q in links], np.int64),
        "names": names, "domains": domains, "topics": topics,
        "problems": problems,
        "files": len(files),
        "records": records,
        "number": number,
    }


def _add(mention: Mention, flat: list[tuple[Any, ...]], first_keys: list[str], edge_u: list[int], edge_v: list[int],
         memo: _Memo) -> str:
    keys = memo.keys(mention)
    flat.append(mention_row(mention))
    first_keys.append(keys[0])
    if len(keys) > 1:
        first = key_id(keys[0])
        for key in keys[1:]:
            edge_u.append(first)
            edge_v.append(key_id(key))
    return keys[0]


# --- stage 4: shuffle mentions and merge each bucket ------------------------------------------------------------

def split_partition(parsed: dict[str, Any], labels: tuple[np.ndarray, np.ndarray], buckets: int) -> tuple[Any, ...]:
    """Cut a parsed partition into ``buckets`` pieces by component label: (mentions, links) each."""
    flat, first_keys = _unpack(parsed["mentions"])
    links = _unpack(parsed["links"])
    mention_bucket = np.remainder(label_of(labels, parsed["ids"]), buckets)
    owner_bucket = np.remainder(label_of(labels, parsed["link_ids"]), buckets)
    item_bucket = np.remainder(label_of(labels, parsed["item_ids"]), buckets).tolist()
    base = parsed["number"] << 32
    pieces = []
    for bucket in range(buckets):
        chosen = np.flatnonzero(mention_bucket == bucket).tolist()
        mentions = [(base | i, flat[i], first_keys[i]) for i in chosen]
        rows = [(*links[i], item_bucket[i], base | i) for i in np.flatnonzero(owner_bucket == bucket).tolist()]
        pieces.append((_pack(mentions), _pack(rows)))
    return tuple(pieces)


def merge_bucket(pieces: Sequence[tuple[bytes, bytes]], buckets: int, root: str, bucket: int,
                 topic_names: dict[str, str]) -> dict[str, Any]:
    """Merge the mentions of one bucket into articles with the single-machine merge, and write them.

    The bucket's article nodes and their ``published_by``/``tagged`` edges are written
    here (parts ``article-BUCKET`` and ``own-BUCKET``), so the articles never travel again.
    Returns the key -> article id map of the bucket, counts, and the related links with
    their source article id, cut into pieces by the item's bucket.
    """
    entries = [entry for mentions, _links in pieces for entry in _unpack(mentions)]
    entries.sort(key=operator.itemgetter(0))  # global file order: merge_mentions breaks ties by position
    mentions = [Mention(*row) for _order, row, _key in entries]
    del entries
    corpus = merge_mentions(mentions)
    del mentions
    article_of_key = {}
    for article in corpus.articles.values():
        for key in article.canonical_urls:
            article_of_key[key] = article.id
    out: list[list[tuple[Any, ...]]] = [[] for _ in range(buckets)]
    for _mentions, links in pieces:
        for owner_key, item_key, rank, quality, item_bucket, order in _unpack(links):
            out[item_bucket].append((article_of_key.get(owner_key) or f"article:{owner_key}", item_key, rank, quality, order))
    counts = write_articles(root, bucket, list(corpus.articles.values()), topic_names)
    return {
        "keys": article_of_key,
        "counts": counts,
        "stats": {name: corpus.stats[name] for name in ("mentions", "articles", "full_articles", "merged_mentions",
                                                        "articles_seen_more_than_once")},
        "merged": [(a.id, a.mentions) for a in corpus.articles.values() if a.mentions > 1 and a.full],
        "links": tuple(_pack(rows) for rows in out),
    }


def write_articles(root: str, bucket: int, articles: Sequence[Article], topic_names: dict[str, str]) -> dict[str, int]:
    """Write a bucket's article nodes and their ``published_by`` and ``tagged`` edges; returns the edge counts."""
    fs, path = filesystem(root)
    schema.write_part(fs, path, schema.NODES, f"article-{bucket:05d}",
                      schema.node_table({"id": article.id, **article_attributes(article, topic_names)} for article in articles))
    edges: list[dict[str, Any]] = []
    for article in articles:
        if article.provider:
            edges.append({"source": article.id, "target": article.provider, "kind": PUBLISHED_BY, "weight": 1.0})
        edges.extend({"source": article.id, "target": topic, "kind": TAGGED, "weight": 1.0} for topic in article.topics)
    schema.write_part(fs, path, schema.EDGES, f"own-{bucket:05d}", schema.edge_table(edges))
    return dict(Counter(edge["kind"] for edge in edges))


def _tallies(mentions: Sequence[Mention], memo: _Memo) -> tuple[dict[str, Counter[str]], dict[str, str | None],
                                                               dict[str, Counter[str]]]:
    """Provider display-name counts, provider domains and topic-name counts of some mentions.

    The same tallies :func:`graphnews.merge.merge_mentions` keeps, in a form that adds up
    across partitions (:func:`combine_tallies`, in file order).
    """
    names: dict[str, Counter[str]] = {}
    domains: dict[str, str | None] = {}
    topics: dict[str, Counter[str]] = {}
    for mention in mentions:
        pid = memo.provider(mention)
        if pid:
            counter = names.setdefault(pid, Counter())
            if mention.provider_name:
                counter[mention.provider_name] += 1
            domain = provider_key(mention.provider_domain) if mention.provider_domain else None
            if domains.get(pid) is None:
                domains[pid] = domain
        for name in mention.topics:
            topics.setdefault(memo.topic(name), Counter())[name] += 1
    return names, domains, topics


def combine_tallies(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Providers and topics of the whole corpus from the buckets' tallies (small: one row per provider or topic)."""
    names: dict[str, Counter[str]] = {}
    domains: dict[str, str | None] = {}
    topics: dict[str, Counter[str]] = {}
    for part in parts:
        for pid, counter in part["names"].items():
            names.setdefault(pid, Counter()).update(counter)
        for pid, domain in part["domains"].items():
            if domains.get(pid) is None:
                domains[pid] = domain
        for tid, counter in part["topics"].items():
            topics.setdefault(tid, Counter()).update(counter)
    providers = []
    for pid in sorted(names):
        display = _most_common(names[pid]) or (domains.get(pid) or pid.split(":", 1)[1])
        row = {"id": pid, "kind": "provider", "label": display, "domain": domains.get(pid), "names": sorted(names[pid])}
        providers.append(row)
    topic_names = {tid: _most_common(topics[tid]) or tid.split(":", 1)[1] for tid in sorted(topics)}
    return {"providers": providers, "topics": topic_names}


# --- stage 5: related links --------------------------------------------------------------------------------------

def resolve_links(keys: dict[str, str], pieces: Sequence[bytes]) -> tuple[list[dict[str, Any]], int]:
    """Related edges whose item is in this bucket (``keys``: its key -> article id), and the self-links dropped.

    A pair listed more than once keeps its best rank, then highest quality, then the first
    in file order: the rule of :func:`graphnews.merge.merge_mentions`.
    """
    best: dict[tuple[str, str], tuple[int, int, int, int | None]] = {}
    self_links = 0
    for piece in pieces:
        for source, item_key, rank, quality, order in _unpack(piece):
            target = keys.get(item_key) or f"article:{item_key}"
            if source == target:
                self_links += 1
                continue
            candidate = (rank, -(quality or 0), order, quality)
            known = best.get((source, target))
            if known is None or candidate[:3] < known[:3]:
                best[(source, target)] = candidate
    rows = [{"source": source, "target": target, "kind": RELATED, "weight": 1.0, "rank": rank, "quality": quality}
            for (source, target), (rank, _quality, _order, quality) in best.items()]
    return rows, self_links


# --- stage 6: write ----------------------------------------------------------------------------------------------

def write_links(root: str, bucket: int, links: tuple[list[dict[str, Any]], int]) -> dict[str, int]:
    """Write one bucket's related edges; returns their count (and the self-links dropped)."""
    fs, path = filesystem(root)
    related, self_links = links
    schema.write_part(fs, path, schema.EDGES, f"{bucket:05d}", schema.edge_table(related))
    return {RELATED: len(related), "self_links": self_links}


def write_dimensions(root: str, tallies: dict[str, Any]) -> None:
    """Write the provider and topic nodes (one small part each)."""
    fs, path = filesystem(root)
    schema.write_part(fs, path, schema.NODES, "provider", schema.node_table(tallies["providers"]))
    schema.write_part(fs, path, schema.NODES, "topic", schema.node_table(
        {"id": tid, "kind": "topic", "label": name} for tid, name in tallies["topics"].items()))


def _pick(mapping: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: mapping[name] for name in names}


# --- the driver --------------------------------------------------------------------------------------------------

def build_tables(paths: Sequence[str], output: str, client: Any, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES,
                 partition_bytes: int = PARTITION_BYTES, buckets: int | None = None,
                 on_stage: Stage | None = None) -> BuildResult:
    """Read ``paths`` on the cluster behind ``client`` and write the dataset ``output`` (a folder or fsspec URL).

    Parameters
    ----------
    paths : files, folders or fsspec URLs of records.
    output : the dataset folder (``DIR.parquet``); replaced only when the build succeeds.
    client : a ``distributed.Client``.
    max_bytes : files larger than this are skipped with a problem, as in ``graphnews build``.
    partition_bytes : input bytes per parse task.
    buckets : shuffle buckets (default: one per partition, at least one per worker thread,
        at most :data:`MAX_BUCKETS`).
    on_stage : called ``(name, None)`` when a stage starts and ``(name, seconds)`` when it ends.

    Returns
    -------
    BuildResult : counts, problems (file order), per-stage seconds.

    Raises
    ------
    ClusterError : the cluster could not finish (the message names the failed task).
    """
    timings: dict[str, float] = {}

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        if on_stage:
            on_stage(name, None)
        started = time.perf_counter()
        yield
        timings[name] = time.perf_counter() - started
        if on_stage:
            on_stage(name, timings[name])

    fs, final = filesystem(output)
    partial_url = f"{output.rstrip('/')}.partial-{uuid.uuid4().hex[:12]}"
    _fs, partial = filesystem(partial_url)
    try:
        with stage("list + partition"):
            files = list_inputs(list(paths))
            parts = partition_files(files, partition_bytes)
            threads = sum(client.nthreads().values()) or 1
            bucket_count = buckets or max(1, min(MAX_BUCKETS, max(len(parts), threads)))
        result = _run(client, parts, bucket_count, partial_url, max_bytes, stage)
        with stage("finish"):
            schema.write_part(fs, partial, schema.PROBLEMS, "00000", schema.problem_table(result.problems))
            schema.write_meta(fs, partial, {"inputs": list(paths), "stats": result.stats,
                                            "edge_counts": result.edge_counts})
            _replace(fs, partial, final)
    except GraphnewsError:
        _remove(fs, partial)
        raise
    except Exception as error:  # a cluster failure: name it, leave no half-written output
        _remove(fs, partial)
        raise ClusterError(_cluster_message(error)) from error
    result.output, result.timings = output, timings
    result.partitions, result.buckets = len(parts), bucket_count
    return result


def _run(client: Any, parts: list[list[str]], buckets: int, root: str, max_bytes: int,
         stage: Callable[[str], Any]) -> BuildResult:
    from distributed import wait

    submit = client.submit
    with stage("parse"):
        parsed = [submit(parse_partition, number, files, max_bytes, pure=False) for number, files in enumerate(parts)]
        summaries = [submit(_pick, future, "problems", "files", "records") for future in parsed]
        wait(summaries)
    with stage("identity components"):
        edges = [submit(operator.getitem, future, "edges") for future in parsed]
        labels, rounds = connected_components(client, edges, min(buckets, 8))
        wait(labels)
    with stage("shuffle + merge"):
        tallies = submit(combine_tallies, [submit(_pick, future, "names", "domains", "topics") for future in parsed])
        topic_names = submit(operator.getitem, tallies, "topics")
        pieces = [submit(split_partition, future, labels, buckets) for future in parsed]
        merged = [submit(merge_bucket, [submit(operator.getitem, piece, bucket) for piece in pieces], buckets, root,
                         bucket, topic_names) for bucket in range(buckets)]
        del pieces, parsed, edges
        wait([*merged, tallies])
    with stage("related links"):
        keys = [submit(operator.getitem, future, "keys") for future in merged]
        outgoing = [submit(operator.getitem, future, "links") for future in merged]
        links = [submit(resolve_links, keys[bucket], [submit(operator.getitem, out, bucket) for out in outgoing])
                 for bucket in range(buckets)]
        wait(links)
    with stage("write"):
        written = [submit(write_links, root, bucket, links[bucket]) for bucket in range(buckets)]
        written.append(submit(write_dimensions, root, tallies))
        counts = client.gather(written[:-1])
        client.gather(written[-1])
        small = client.gather([submit(_pick, future, "stats", "merged", "counts") for future in merged])
        totals = client.gather(summaries)
        dimensions = client.gather(tallies)
    problems = [problem for summary in totals for problem in summary["problems"]]
    edge_counts: Counter[str] = Counter()
    for count in counts + [part["counts"] for part in small]:
        edge_counts.update(count)
    self_links = edge_counts.pop("self_links", 0)
    stats: Counter[str] = Counter()
    for part in small:
        stats.update(part["stats"])
    merged_examples = sorted(pair for part in small for pair in part["merged"])
    full = stats["full_articles"]
    result_stats = {
        "files": sum(summary["files"] for summary in totals),
        "records": sum(summary["records"] for summary in totals),
        "mentions": stats["mentions"],
        "articles": stats["articles"],
        "full_articles": full,
        "related_only_articles": stats["articles"] - full,
        "merged_mentions": stats["mentions"] - stats["articles"],
        "articles_seen_more_than_once": stats["articles_seen_more_than_once"],
        "providers": len(dimensions["providers"]),
        "topics": len(dimensions["topics"]),
        "related_links": edge_counts.get(RELATED, 0),
        "self_links_dropped": self_links,
        "problems": sum(1 for problem in problems if problem.fatal),
        "warnings": sum(1 for problem in problems if not problem.fatal),
    }
    ordered = {kind: edge_counts[kind] for kind in (RELATED, PUBLISHED_BY, TAGGED) if edge_counts.get(kind)}
    return BuildResult("", result_stats, problems, edge_counts=ordered,
                       providers=[row["label"] for row in dimensions["providers"]],
                       topics=list(dimensions["topics"].values()), merged=merged_examples, rounds=rounds)


def _replace(fs: Any, partial: str, final: str) -> None:
    """Move the finished dataset into place; an older one at ``final`` is removed only afterwards."""
    old = None
    if fs.exists(final):
        old = f"{final}.old-{uuid.uuid4().hex[:12]}"
        fs.mv(final, old, recursive=True)
    fs.mv(partial, final, recursive=True)
    if old:
        fs.rm(old, recursive=True)


def _remove(fs: Any, path: str) -> None:
    try:
        if fs.exists(path):
            fs.rm(path, recursive=True)
    except OSError:
        pass


def _cluster_message(error: Exception) -> str:
    name = type(error).__name__
    if name == "KilledWorker":
        task = getattr(error, "task", None) or (error.args[0] if error.args else "a task")
        return (f"the build failed: workers died running {task} too often (out of memory? see the worker logs); "
                "nothing was written")
    first_line = (str(error).strip().splitlines() or [""])[0]
    return f"the build failed on the cluster: {name}: {first_line}"

