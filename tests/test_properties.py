"""Property and fuzz tests: generated records (valid and mutated), URLs and raw texts.

Bounded inside the suite; run longer by hand with ``GRAPHNEWS_FUZZ_EXAMPLES=20000 pytest
tests/test_properties.py``.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
from datetime import date as datetime_date
from pathlib import Path

import networkx as nx
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from graphnews import build_graph
from graphnews.errors import InputError
from graphnews.merge import merge_mentions
from graphnews.read import read_paths
from graphnews.read.formats import parse_file, split_front_matter
from graphnews.read.plaintext import parse_plain_text
from graphnews.read.records import clean_text
from graphnews.urls import canonical_url

FUZZ = settings(
    max_examples=int(os.environ.get("GRAPHNEWS_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SCRATCH = Path(tempfile.mkdtemp(prefix="graphnews-props-"))

hosts = st.sampled_from(["a.com", "www.b.org", "amp.c.net", "Bücher.example", "d.co.uk"])
paths = st.lists(st.sampled_from(["news", "amp", "2031", "x.amp.html", "a b", "ü", "%41", ""]), max_size=4)
queries = st.lists(st.sampled_from(["utm_source=rss", "id=7", "fbclid=z", "amp", "b=2&a=1", "q=%20"]), max_size=3)
urls = st.builds(
    lambda scheme, host, parts, query, fragment: f"{scheme}://{host}/{'/'.join(parts)}"
    + (f"?{'&'.join(query)}" if query else "") + fragment,
    st.sampled_from(["http", "https", "HTTPS"]), hosts, paths, queries, st.sampled_from(["", "#top", "/"]),
)
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
valid_records = st.fixed_dictionaries(
    {"title": texts.filter(str.strip), "webUrl": urls},
    optional={
        "excerpt": texts,
        "publishedDateTime": st.sampled_from(["2031-03-13T06:40:00Z", "Thu, 13 Mar 2031 06:40:00 GMT", 1931840400]),
        "provider": st.fixed_dictionaries({"name": texts, "domain": hosts}),
        "topics": st.lists(texts, max_size=3),
        "related": st.lists(st.fixed_dictionaries({"title": texts, "webUrl": urls}), max_size=3),
    },
)
# A valid record with some fields replaced by anything at all.
mutated_records = st.builds(
    lambda record, changes: {**record, **changes},
    valid_records,
    st.dictionaries(st.sampled_from(["title", "webUrl", "related", "provider", "topics", "date", "images", "quality"]), values),
)


def write(name: str, content: str | bytes) -> str:
    path = SCRATCH / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    return str(path)


def front_matter(record: dict) -> str:
    return "---\n" + yaml.safe_dump(record, allow_unicode=True) + "---\n"


@FUZZ
@given(mutated_records, st.sampled_from(["r.md", "r.json", "r.yaml", "r.jsonl"]))
def test_loader_raises_only_input_error(record: dict, name: str) -> None:
    if name.endswith((".json", ".jsonl")):
        content = json.dumps(record, default=str)
    else:
        content = front_matter(record) if name.endswith(".md") else yaml.safe_dump(record, allow_unicode=True)
    try:
        result = parse_file(write(name, content))
    except InputError as error:
        assert error.fatal
        return
    assert result.records == len(result.mentions) == 1
    assert all(isinstance(problem, InputError) for problem in result.problems)


@FUZZ
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: ("---\n" + t).encode("utf-8", "surrogatepass")))
def test_any_bytes_give_records_or_one_input_error(raw: bytes) -> None:
    try:
        parse_file(write("raw.md", raw))
    except InputError as error:
        assert str(error).startswith(str(SCRATCH / "raw.md"))


@FUZZ
@given(st.lists(valid_records, min_size=1, max_size=6))
def test_every_valid_record_is_one_article_node(records: list[dict]) -> None:
    folder = Path(tempfile.mkdtemp(dir=SCRATCH))
    for index, record in enumerate(records):
        (folder / f"{index}.json").write_text(json.dumps(record))
    result = read_paths([str(folder)], workers=1)
    assert not [p for p in result.problems if p.fatal]
    graph = build_graph(merge_mentions(result.mentions))
    expected = {"article:" + canonical_url(record["webUrl"]) for record in records}
    full = {node for node, data in graph.nodes(data=True) if data.get("full")}
    assert full == expected


@FUZZ
@given(st.lists(valid_records, min_size=2, max_size=6), st.randoms(use_true_random=False))
def test_file_order_does_not_change_the_graph(records: list[dict], shuffler: random.Random) -> None:
    folder = Path(tempfile.mkdtemp(dir=SCRATCH))
    files = []
    for index, record in enumerate(records):
        files.append(str(folder / f"{index}.json"))
        Path(files[-1]).write_text(json.dumps(record))
    mentions = read_paths(files, workers=1).mentions
    shuffled = list(mentions)
    shuffler.shuffle(shuffled)
    reversed_files = read_paths(list(reversed(files)), workers=1).mentions
    graphs = [build_graph(merge_mentions(m)) for m in (mentions, shuffled, reversed_files)]
    for other in graphs[1:]:
        assert dict(other.nodes(data=True)) == dict(graphs[0].nodes(data=True))
        assert sorted(other.edges(keys=True, data=True)) == sorted(graphs[0].edges(keys=True, data=True))
        assert nx.is_isomorphic(other, graphs[0])


@FUZZ
@given(urls)
def test_canonical_url_is_idempotent_on_url_shapes(url: str) -> None:
    first = canonical_url(url)
    assert first is not None
    assert canonical_url("https://" + first) == first
    assert canonical_url("http://www." + first) == first


@FUZZ
@given(st.text(max_size=400))
def test_front_matter_splitter_fuzz(text: str) -> None:
    text = "---\n" + text
    try:
        header, body = split_front_matter(text, "f.md")
    except InputError as error:
        assert (error.line, error.message) == (1, "front matter opened with '---' is never closed")
        assert all(line.rstrip() not in ("---", "...") for line in text.split("\n")[1:])
        return
    assert text.startswith("---\n" + header)
    assert body == body.strip()
    assert body in text


@FUZZ
@given(st.text(max_size=400), st.booleans())
def test_plain_text_reader_fuzz(text: str, dated: bool) -> None:
    if dated:
        text = "date 2031-03-13 " + text
    try:
        mention = parse_plain_text(text, "p.txt")
    except InputError as error:
        assert error.message == "plain-text article has no text"
        assert not clean_text(text.removeprefix("date 2031-03-13 ")).strip()  # control characters are no text
        return
    assert mention.content_key and len(mention.content_key) == 16
    assert len(mention.title) <= 110
    assert mention.title.strip()
    assert parse_plain_text(text, "moved/elsewhere.txt").content_key == mention.content_key



#: Values a parser may give that JSON writes alike or Python compares equal: a remembered item must
#: never stand for its lookalike.
_LOOKALIKES = [[True, 1, 1.0, "1", "True"], [None, float("nan"), float("inf"), "null", ""], [0, False, 0.0, -0.0],
               [datetime_date(2031, 3, 12), "2031-03-12"], [["Port"], "Port", [["Port"]]]]
_related_items = st.dictionaries(
    st.sampled_from(["title", "webUrl", "excerpt", "quality", "publishedDateTime", "topics", "type", "extraField"]),
    st.one_of(st.sampled_from(["Bridge shut", "https://a.com/x", "2031-03-12T08:00:00Z", "\ud800", 7, 2.5]),
              st.sampled_from([value for group in _LOOKALIKES for value in group])),
    min_size=1, max_size=5,
)


@FUZZ
@given(_related_items, st.data())
def test_remembered_related_items_read_as_fresh_ones(item: dict, data: st.DataObject) -> None:
    """Items remembered by their JSON give what reading them afresh gives, whatever was remembered before:
    True, 1 and 1.0, NaN and None, a date and its text, a list and a tuple never stand for each other."""
    from graphnews.read import records

    field = data.draw(st.sampled_from(sorted(item)))
    variants = [{**item, field: value} for value in data.draw(st.sampled_from(_LOOKALIKES))]
    memo, saved = records.RelatedMemo(), records._memo
    records._memo = memo
    try:
        for position, variant in enumerate(variants + variants):  # the second round: all remembered
            try:
                fresh = records.mention_from_mapping(variant, "f.md", position, lambda _: None, full=False)
            except InputError:
                fresh = None
            assert records._related_item(variant, "f.md", position) == fresh, variant
    finally:
        records._memo = saved
    assert memo.hits == sum(records._json_key(variant) is not None for variant in variants)


def test_related_memo_rests_while_items_do_not_repeat() -> None:
    """Unique items: after one window the memo stops keying them for REST_WINDOWS windows, then tries again;
    repeated items keep it on."""
    from graphnews.read.records import RelatedMemo

    memo = RelatedMemo()
    keys = [memo.key({"title": f"t{number}"}) for number in range(RelatedMemo.WINDOW)]
    assert all(keys[:-1]) and keys[-1] is None and memo.resting == RelatedMemo.REST_WINDOWS
    rested = [memo.key({"title": "again"}) for _ in range(RelatedMemo.REST_WINDOWS * RelatedMemo.WINDOW)]
    assert not any(rested[:-1]) and rested[-1] == b'{"title":"again"}' and memo.resting == 0
    repeated = RelatedMemo()
    for _ in range(3 * RelatedMemo.WINDOW):
        key = repeated.key({"title": "same"})
        assert key is not None
        repeated.hits += key in repeated.known
        repeated.remember(key, None)
