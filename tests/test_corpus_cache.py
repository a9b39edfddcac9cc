"""The corpus cache: unchanged inputs are loaded merged; any change, damage or other limit is a miss."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_cache import RECORD

import graphnews.loader
from graphnews.corpus_cache import MAX_CORPORA, corpus_files, decode_corpus, encode_corpus
from graphnews.loader import load
from graphnews.model import Corpus

ELECTION = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "election"
SEEDS = ELECTION.parents[1] / "seeds"


@pytest.fixture
def merges(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many mentions each merge of a load was given (none on a corpus-cache hit)."""
    calls: list[int] = []
    original = graphnews.loader.merge_mentions

    def counting(mentions, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(mentions))
        return original(mentions, *args, **kwargs)

    monkeypatch.setattr(graphnews.loader, "merge_mentions", counting)
    return calls


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Five records, one bad file, a symlink out of the folder and a profile under _people: problems of both kinds."""
    root = tmp_path / "corpus"
    (root / "_people").mkdir(parents=True)
    for number in range(5):
        (root / f"{number}.md").write_text(RECORD.format(title=f"Story {number}", slug=f"s{number}"))
    (root / "bad.md").write_text("---\ntitle: [unclosed\n---\n")
    (root / "_people" / "someone.md").write_text("---\nname: Someone\n---\n")
    outside = tmp_path / "outside.md"
    outside.write_text(RECORD.format(title="Outside", slug="out"))
    (root / "leak.md").symlink_to(outside)
    return root


def same(a: Corpus, b: Corpus) -> bool:
    return ((a.articles, a.providers, a.topics, a.related, [p.to_dict() for p in a.problems], a.stats, a.yaml_reference, a.inputs)
            == (b.articles, b.providers, b.topics, b.related, [p.to_dict() for p in b.problems], b.stats, b.yaml_reference, b.inputs))


@pytest.mark.parametrize("inputs", [[ELECTION], [SEEDS], [next(SEEDS.glob("000*.txt")), ELECTION]], ids=["election", "seeds", "file+folder"])
def test_second_load_of_unchanged_inputs_is_the_same_corpus_without_a_merge(cache_home: Path, merges: list[int],
                                                                            inputs: list[Path]) -> None:
    paths = [str(path) for path in inputs]
    first = load(paths, cache=True, workers=1)
    second = load(paths, cache=True, workers=1)
    assert len(merges) == 1 and merges[0] >= 3
    assert same(first, second)
    assert load(paths, cache=False, workers=1).articles == second.articles  # and it is what a fresh read merges


def test_election_counts_survive_the_round_trip(cache_home: Path) -> None:
    load([str(ELECTION)], cache=True, workers=1)
    corpus = load([str(ELECTION)], cache=True, workers=1)
    assert (len(corpus.articles), len(corpus.providers), len(corpus.topics), len(corpus.related)) == (264, 14, 6, 11849)
    assert corpus.stats["files"] == 143 and corpus.stats["mentions"] == 12_597


def test_walk_problems_are_found_again_not_stored_twice(cache_home: Path, folder: Path, merges: list[int]) -> None:
    first = load([str(folder)], cache=True, workers=1)
    kinds = [("symlink" in p.message, "other record types" in p.message, "invalid YAML" in p.message) for p in first.problems]
    assert kinds == [(True, False, False), (False, True, False), (False, False, True)]
    second = load([str(folder)], cache=True, workers=1)
    assert len(merges) == 1 and same(first, second)
    assert (second.stats["problems"], second.stats["warnings"]) == (first.stats["problems"], first.stats["warnings"]) == (1, 2)


@pytest.mark.parametrize("change", ["edit", "add", "remove", "limit"])
def test_any_change_is_a_miss(cache_home: Path, folder: Path, merges: list[int], change: str) -> None:
    load([str(folder)], cache=True, workers=1)
    limit = None
    if change == "edit":
        target = folder / "2.md"
        target.write_text(RECORD.format(title="Story two, corrected", slug="s2"))
        os.utime(target, ns=(1, 1))  # a different mtime even on coarse clocks
    elif change == "add":
        (folder / "5.md").write_text(RECORD.format(title="Story five", slug="s5"))
    elif change == "remove":
        (folder / "4.md").unlink()
    else:
        limit = 60  # every record is bigger: six files skipped
    corpus = load([str(folder)], cache=True, workers=1, max_bytes=limit)
    assert len(merges) == 2
    titles = sorted(article.title for article in corpus.articles.values())
    assert titles == {"edit": ["Story 0", "Story 1", "Story 3", "Story 4", "Story two, corrected"],
                      "add": [f"Story {n}" for n in range(4)] + ["Story 4", "Story five"],
                      "remove": [f"Story {n}" for n in range(4)], "limit": []}[change]


def test_damaged_file_is_a_miss_and_no_cache_stores_nothing(cache_home: Path, folder: Path, merges: list[int]) -> None:
    load([str(folder)], cache=False, workers=1)
    assert not cache_home.exists()
    expected = load([str(folder)], cache=True, workers=1)
    (stored,) = corpus_files()
    assert oct(os.stat(stored).st_mode & 0o777) == "0o600"
    Path(stored).write_bytes(b'{"articles": [[1, 2]]}')
    assert same(load([str(folder)], cache=True, workers=1), expected) and len(merges) == 3
    assert same(load([str(folder)], cache=True, workers=1), expected) and len(merges) == 3  # stored again


def test_only_the_corpora_used_last_are_kept_and_clear_removes_them(cache_home: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from graphnews.cli import cli

    for number in range(MAX_CORPORA + 1):
        root = tmp_path / f"set{number}"
        root.mkdir()
        (root / "a.md").write_text(RECORD.format(title=f"Set {number}", slug=f"set{number}"))
        load([str(root)], cache=True, workers=1)
    assert len(corpus_files()) == MAX_CORPORA
    info = CliRunner().invoke(cli, ["cache", "info"])
    assert info.exit_code == 0 and f"{MAX_CORPORA} merged corpora" in info.output
    cleared = CliRunner().invoke(cli, ["cache", "clear"])
    assert cleared.exit_code == 0 and f"{MAX_CORPORA} merged corpora" in cleared.output and corpus_files() == []


def test_blob_is_json_with_links_and_sources_as_numbers(cache_home: Path) -> None:
    import orjson

    from graphnews.corpus_cache import _unpacked

    corpus = load([str(ELECTION)], workers=1)
    document = orjson.loads(encode_corpus(corpus))
    ids = [row[0] for row in document["articles"]]
    sources, targets, ranks = (list(_unpacked(column)) for column in document["related"][:3])
    qualities = document["related"][3]
    assert len(sources) == len(corpus.related) == 11_849 and qualities == [link.quality for link in corpus.related]
    assert [(ids[s], ids[t], r) for s, t, r in zip(sources, targets, ranks)] == [(link.source, link.target, link.rank) for link in corpus.related]
    assert sorted({document["sources"][i] for row in document["articles"] for i in row[15]}) == sorted(
        {source for article in corpus.articles.values() for source in article.sources})
    assert decode_corpus(encode_corpus(corpus)).related == corpus.related


def test_file_names_that_are_not_utf8_are_cached_too(cache_home: Path, tmp_path: Path, merges: list[int]) -> None:
    root = tmp_path / "latin"
    root.mkdir()
    name = os.fsdecode(b"caf\xe9.md")  # a latin-1 name: a surrogate escape in Python
    (root / name).write_text(RECORD.format(title="Cafe", slug="cafe"))
    first = load([str(root)], cache=True, workers=1)
    second = load([str(root)], cache=True, workers=1)
    assert len(merges) == 1 and same(first, second) and [a.title for a in second.articles.values()] == ["Cafe"]
