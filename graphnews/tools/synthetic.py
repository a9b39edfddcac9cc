"""A deterministic synthetic news corpus, for benchmarks: any size, same seed, same files.

Records follow the seeds' schema (YAML front matter with ``related`` lists) and mimic the
real data's shape: 10-15 related items each, ~200 providers with a Zipf-like share of the
articles, ~50 topics of which a few (``Election``) are on most articles, every URL variant
the readers must fold together (http/https, ``www.``, ``amp.`` host, ``/amp/``,
``.amp.html``, the ``cdn.ampproject.org`` cache, ``utm_`` parameters), related links to
other records and to articles that have no record, syndicated copies (one excerpt under
several titles and providers) and ~2% dated plain-text articles.

All words are made up from a syllable table: no real article text. Article ``i`` depends
only on ``(seed, i)``, so files are written in parallel chunks and still come out the same.

Run ``python -m graphnews.tools.synthetic OUT_DIR -n 10000 --seed 0``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

__all__ = ["PRODUCER_NAMES", "Universe", "article_record", "article_text", "generate", "generate_shards", "json_record", "shards_complete",
           "universe"]

PROVIDERS = 200
TOPICS = 50
COMMON_TOPICS = ("Election", "Economy", "Weather")
PLAIN_TEXT_SHARE = 0.02
SYNDICATED_SHARE = 0.03
#: Related items point at articles ``0 .. RELATED_ONLY_FACTOR * n``: those past ``n`` have no record.
RELATED_ONLY_FACTOR = 1.25
_SYLLABLES = ("ka", "lo", "mir", "van", "te", "dro", "sel", "pha", "qui", "ru", "zen", "bal", "tor", "ish",
              "om", "nel", "var", "ost", "gla", "fen", "du", "sko", "rim", "ael")
_START = datetime(2031, 3, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Universe:
    """The fixed cast every article draws from: vocabulary, providers, topics."""

    words: tuple[str, ...]
    providers: tuple[tuple[str, str], ...]  # (name, domain)
    provider_weights: tuple[float, ...]
    topics: tuple[str, ...]
    topic_weights: tuple[float, ...]


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables))


@lru_cache(maxsize=4)
def universe(seed: int = 0) -> Universe:
    """The vocabulary, providers and topics for ``seed`` (Zipf-like weights, exponent 1.1)."""
    rng = random.Random(f"universe-{seed}")
    words = tuple(sorted({_word(rng, rng.randint(1, 3)) for _ in range(3000)}))
    providers: dict[str, tuple[str, str]] = {}
    while len(providers) < PROVIDERS:
        first, second = _word(rng, 2), _word(rng, 2)
        providers.setdefault(first + second, (f"{first.title()} {second.title()}", f"{first}{second}.com"))
    topics = list(COMMON_TOPICS)
    while len(topics) < TOPICS:
        name = _word(rng, rng.randint(2, 3)).title()
        if name not in topics:
            topics.append(name)
    return Universe(
        words=words,
        providers=tuple(providers.values()),
        provider_weights=tuple(1 / (rank + 1) ** 1.1 for rank in range(PROVIDERS)),
        topics=tuple(topics),
        topic_weights=tuple(1 / (rank + 1) ** 1.1 for rank in range(TOPICS)),
    )


@dataclass(frozen=True)
class _Article:
    index: int
    title: str
    excerpt: str
    published: datetime
    provider: tuple[str, str]
    topics: tuple[str, ...]
    path: str
    quality: int


def _sentence(rng: random.Random, words: Sequence[str], low: int, high: int) -> str:
    return " ".join(rng.choice(words) for _ in range(rng.randint(low, high))).capitalize()


@cache
def _article(index: int, seed: int) -> _Article:
    """Article ``index``: its title, provider, topics... depend on ``(seed, index)`` only."""
    world = universe(seed)
    rng = random.Random(f"{seed}-{index}")
    title = _sentence(rng, world.words, 5, 10)
    excerpt = _sentence(rng, world.words, 18, 30) + "."
    if index > 0 and rng.random() < SYNDICATED_SHARE:  # a syndicated copy of the previous story
        excerpt = _article(index - 1, seed).excerpt
    provider = rng.choices(world.providers, world.provider_weights)[0]
    topics = tuple(dict.fromkeys(rng.choices(world.topics, world.topic_weights, k=rng.randint(1, 3))))
    published = _START + timedelta(minutes=rng.randrange(60 * 24 * 45))
    slug = "-".join(title.lower().split()[:6])
    ending = rng.choice(("", "/index.html", ".html"))
    path = f"/{published:%Y/%m/%d}/{slug}-{index}{ending}"
    return _Article(index, title, excerpt, published, provider, topics, path, rng.randint(50, 250))


def _variant(article: _Article, rng: random.Random) -> str:
    """One of the URL forms the same article is linked by."""
    domain = article.provider[1]
    path = article.path
    kind = rng.randrange(8)
    if kind == 0:
        return f"http://{domain}{path}"
    if kind == 1:
        return f"https://www.{domain}{path}"
    if kind == 2:
        return f"https://amp.{domain}{path}"
    if kind == 3:
        head, _, tail = path.rpartition("/")
        return f"https://{domain}{head}/amp/{tail}"
    if kind == 4 and path.endswith(".html"):
        return f"https://{domain}{path[:-5]}.amp.html"
    if kind == 5:
        return f"https://{domain.replace('.', '-')}.cdn.ampproject.org/c/s/{domain}{path}"
    if kind == 6:
        return f"https://www.{domain}{path}?utm_source=feed&utm_medium=rss"
    return f"https://{domain}{path}"


def _yaml_item(article: _Article, rng: random.Random, indent: str) -> str:
    """The shared fields of a record or a related item, as front-matter lines."""
    return (
        f'{indent}title: "{article.title}"\n'
        f'{indent}excerpt: "{article.excerpt}"\n'
        f"{indent}publishedDateTime: {article.published:%Y-%m-%dT%H:%M:%SZ}\n"
        f'{indent}webUrl: "{_variant(article, rng)}"\n'
        f'{indent}ampWebUrl: "https://amp.{article.provider[1]}{article.path}"\n'
        f"{indent}type: article\n"
        f"{indent}quality: {article.quality}\n"
        f"{indent}provider:\n"
        f'{indent}  name: "{article.provider[0]}"\n'
        f"{indent}  domain: {article.provider[1]}\n"
    )


def _plain_text(article: _Article, rng: random.Random, seed: int) -> str:
    """A dated plain-text article (the readers' fifth format)."""
    world = universe(seed)
    paragraphs = [" ".join(_sentence(rng, world.words, 8, 16) + "." for _ in range(4)) for _ in range(3)]
    return f"date {article.published:%Y-%m-%d}\n\n{article.title}.\n\n" + "\n\n".join(paragraphs) + "\n"


def _item_record(article: _Article, rng: random.Random) -> dict[str, Any]:
    """The shared fields of a record or a related item, as a mapping (what :func:`_yaml_item` writes)."""
    return {
        "title": article.title,
        "excerpt": article.excerpt,
        "publishedDateTime": f"{article.published:%Y-%m-%dT%H:%M:%SZ}",
        "webUrl": _variant(article, rng),
        "ampWebUrl": f"https://amp.{article.provider[1]}{article.path}",
        "type": "article",
        "quality": article.quality,
        "provider": {"name": article.provider[0], "domain": article.provider[1]},
    }


def article_record(index: int, n: int, seed: int = 0) -> tuple[str, dict[str, Any] | str]:
    """File name and record of article ``index``: a mapping, or the text of a dated plain-text article.

    The same draws as :func:`article_text` in the same order, so every producer writes the same corpus.
    """
    article = _article(index, seed)
    rng = random.Random(f"file-{seed}-{index}")
    if rng.random() < PLAIN_TEXT_SHARE:
        return f"{index:06d}-plain.txt", _plain_text(article, rng, seed)
    targets = {rng.randrange(int(n * RELATED_ONLY_FACTOR) + 1) for _ in range(rng.randint(10, 15))} - {index}
    related = [_item_record(_article(target, seed), rng) for target in sorted(targets)]
    record = {"category": "news", **_item_record(article, rng),
              "originalUrl": f"https://{article.provider[1]}{article.path}", "heat": -1, "published": False,
              "topics": list(article.topics), "related": related}
    return f"{index:06d}-{article.provider[1].split('.')[0]}.md", record


def _pyyaml(record: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(record)


def _pyyaml_wide(record: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(record, width=10**9, allow_unicode=True, sort_keys=False)


def _ruamel(record: dict[str, Any]) -> str:
    import io

    from ruamel.yaml import YAML  # optional: only this producer needs it

    out = io.StringIO()
    YAML().dump(record, out)
    return out.getvalue()


def _jekyll(record: dict[str, Any]) -> str:
    """Front matter as people type it: plain values, a plain date, flow lists of tags."""
    def plain(value: object) -> str:
        text = str(value)
        return text if text[:1].isalpha() and ": " not in text and " #" not in text else json.dumps(text)

    def item(fields: dict[str, Any], indent: str) -> list[str]:
        lines = [f"{indent}title: {plain(fields['title'])}", f"{indent}excerpt: {plain(fields['excerpt'])}",
                 f"{indent}date: {fields['publishedDateTime'].replace('T', ' ').rstrip('Z')} +00:00",
                 f"{indent}webUrl: {fields['webUrl']}", f"{indent}quality: {fields['quality']}",
                 f"{indent}provider: {{name: {plain(fields['provider']['name'])}, domain: {fields['provider']['domain']}}}"]
        return lines

    lines = ["layout: post", *item(record, ""), f"originalUrl: {record['originalUrl']}",
             f"tags: [{', '.join(record['topics'])}]", "related:"]
    for related in record["related"]:
        block = item(related, "    ")
        lines += ["  - " + block[0].lstrip(), *block[1:]]
    return "\n".join(lines) + "\n"


def _json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def _crlf(record: dict[str, Any]) -> str:
    return _pyyaml(record).replace("\n", "\r\n")


#: How each producer writes a record mapping as front matter (``synthetic``: the line template above).
PRODUCERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "pyyaml": _pyyaml, "pyyaml-wide": _pyyaml_wide, "ruamel": _ruamel, "jekyll": _jekyll, "json": _json, "crlf": _crlf,
}
PRODUCER_NAMES = ("synthetic", *PRODUCERS)


def article_text(index: int, n: int, seed: int = 0, producer: str = "synthetic") -> tuple[str, str]:
    """File name and content of article ``index`` of an ``n``-article corpus, as ``producer`` writes it.

    Examples
    --------
    >>> name, text = article_text(0, 100)
    >>> text.startswith("---\\ncategory: news\\n"), name.endswith(".md")
    (True, True)
    >>> article_text(0, 100, producer="pyyaml")[1].startswith("---\\nampWebUrl: https://amp.")
    True
    """
    if producer != "synthetic":
        name, record = article_record(index, n, seed)
        if isinstance(record, str):
            return name, record
        newline = "\r\n" if producer == "crlf" else "\n"
        return name, f"---{newline}{PRODUCERS[producer](record)}---{newline}"
    article = _article(index, seed)
    rng = random.Random(f"file-{seed}-{index}")
    if rng.random() < PLAIN_TEXT_SHARE:
        return f"{index:06d}-plain.txt", _plain_text(article, rng, seed)
    topics = "".join(f"  - {topic}\n" for topic in article.topics)
    targets = {rng.randrange(int(n * RELATED_ONLY_FACTOR) + 1) for _ in range(rng.randint(10, 15))} - {index}
    related = "".join("  - " + _yaml_item(_article(target, seed), rng, "    ")[4:] for target in sorted(targets))
    text = (
        "---\ncategory: news\n"
        + _yaml_item(article, rng, "")
        + f'originalUrl: "https://{article.provider[1]}{article.path}"\n'
        + "heat: -1\npublished: false\n"
        + f"topics:\n{topics}"
        + f"related:\n{related}"
        + "---\n"
    )
    return f"{index:06d}-{article.provider[1].split('.')[0]}.md", text


def _write_chunk(args: tuple[str, int, int, int, int, str]) -> int:
    folder, start, stop, n, seed, producer = args
    for index in range(start, stop):
        name, text = article_text(index, n, seed, producer)
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.write(text)
    return stop - start


def generate(folder: str, n: int, seed: int = 0, workers: int | None = None, producer: str = "synthetic") -> int:
    """Write an ``n``-article corpus into ``folder`` (created); returns the number of files.

    Parameters
    ----------
    folder : output folder; existing files of the same names are overwritten.
    n : number of articles (files).
    seed : everything random derives from it: same seed, same bytes.
    workers : processes to write with (default: all cores for 2,000+ files).
    producer : who writes the front matter (:data:`PRODUCER_NAMES`): the line template, or
        a YAML/JSON library writing the same records (``pyyaml``: ``yaml.safe_dump``'s defaults).
    """
    os.makedirs(folder, exist_ok=True)
    step = 1000
    if producer not in PRODUCER_NAMES:
        raise ValueError(f"unknown producer {producer!r}: expected one of {', '.join(PRODUCER_NAMES)}")
    chunks = [(folder, start, min(n, start + step), n, seed, producer) for start in range(0, n, step)]
    if workers is None:
        workers = (os.cpu_count() or 1) if n >= 2000 else 1
    if workers <= 1:
        return sum(map(_write_chunk, chunks))
    with ProcessPoolExecutor(max_workers=workers) as executor:
        return sum(executor.map(_write_chunk, chunks))


def json_record(index: int, n: int, seed: int = 0) -> dict[str, Any]:
    """Article ``index`` as one JSON record (for JSON Lines shards): the same story as :func:`article_record`.

    A plain-text article becomes a record with a title, a date and a body, and no URL.

    >>> json_record(0, 100)["originalUrl"] == article_record(0, 100)[1]["originalUrl"]
    True
    """
    _name, record = article_record(index, n, seed)
    if isinstance(record, dict):
        return record
    article = _article(index, seed)
    return {"title": article.title, "publishedDateTime": f"{article.published:%Y-%m-%dT%H:%M:%SZ}",
            "body": record.split("\n\n", 2)[2]}


def _write_shard(args: tuple[str, int, int, int, int]) -> int:
    import json

    path, start, stop, n, seed = args
    with open(path, "w", encoding="utf-8") as handle:
        for index in range(start, stop):
            handle.write(json.dumps(json_record(index, n, seed), ensure_ascii=False, separators=(",", ":")) + "\n")
    return stop - start


def generate_shards(folder: str, n: int, seed: int = 0, per_shard: int = 1_500, workers: int | None = None) -> int:
    """Write an ``n``-article corpus as JSON Lines shards of ``per_shard`` records (``shard-00000.jsonl`` ...).

    The layout of archives in object storage, and the input of the scale-out benchmark
    (``python -m graphnews.tools.dask_bench``); 1,500 records are ~13 MB, under the
    16 MB default ``--max-file-size``. Returns the number of shards; a marker file written
    last tells :func:`shards_complete` that the folder holds this corpus whole.
    """
    os.makedirs(folder, exist_ok=True)
    chunks = [(os.path.join(folder, f"shard-{start // per_shard:05d}.jsonl"), start, min(n, start + per_shard), n, seed)
              for start in range(0, n, per_shard)]
    if workers is None:
        workers = (os.cpu_count() or 1) if len(chunks) > 1 else 1
    if workers <= 1:
        written = len(list(map(_write_shard, chunks)))
    else:
        with ProcessPoolExecutor(max_workers=workers) as executor:
            written = len(list(executor.map(_write_shard, chunks)))
    open(_shards_marker(folder, n, seed, per_shard), "w").close()
    return written


def shards_complete(folder: str, n: int, seed: int = 0, per_shard: int = 1_500) -> bool:
    """Whether :func:`generate_shards` wrote this corpus (``n``, ``seed``, ``per_shard``) into ``folder`` to the end."""
    return os.path.exists(_shards_marker(folder, n, seed, per_shard))


def _shards_marker(folder: str, n: int, seed: int, per_shard: int) -> str:
    return os.path.join(folder, f".complete-{n}-{seed}-{per_shard}")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m graphnews.tools.synthetic OUT_DIR -n N --seed S``."""
    parser = argparse.ArgumentParser(prog="python -m graphnews.tools.synthetic", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("-n", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--producer", choices=PRODUCER_NAMES, default="synthetic",
                        help="who writes the front matter (default: the line template)")
    parser.add_argument("--jsonl", type=int, metavar="RECORDS", default=None,
                        help="write JSON Lines shards of RECORDS records each instead of one file per article")
    options = parser.parse_args(argv)
    if options.n < 1:
        parser.error("-n must be at least 1")
    if options.jsonl is not None:
        if options.jsonl < 1:
            parser.error("--jsonl must be at least 1")
        shards = generate_shards(options.folder, options.n, options.seed, options.jsonl)
        sys.stderr.write(f"Wrote {options.n:,} records in {shards:,} JSON Lines shards to {options.folder}\n")
        return 0
    written = generate(options.folder, options.n, options.seed, producer=options.producer)
    sys.stderr.write(f"Wrote {written:,} files to {options.folder}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
