from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given, settings, strategies as st

import graphnews
from graphnews.analysis.annotate import add_syndicated_edges
from graphnews.analysis.minhash import shingle_hash
from graphnews.analysis.syndication import _containments, containment, lede_shingles, syndication_groups

from helpers_stories import BRIDGE, STRIKE, article, two_stories

PENCE = {
    "article:abcnews.go.com/Politics/wireStory/tight-spot-trump-loss-complicates-pences-political-future-74196953",
    "article:southbendtribune.com/news/elections/what-does-mike-pences-future-look-like-after-election-loss/"
    "article_94f9bcaa-2688-11eb-ad83-9fce99de0a50.html",
    "article:floridapolitics.com/archives/383296-trump-loss-pences-political-future",
    "article:fairmontsentinel.com/news/national-news-apwire/2020/11/14/political-future-complicated-for-pence",
}
WIRE = [
    "article:wirewatch-news.com/wire/2031/03/13/port-alder-dockworkers-walk-out-over-shift-rota",
    "article:alderpost.com/business/2031/03/13/dockers-strike-at-terminal-3-as-rota-talks-collapse",
    "article:northbaytimes.com/news/business/port-strike-what-we-know-about-the-terminal-3-walkout/article_e4b6210c.html",
    "article:riversidedaily.net/story/88213/harbour-union-pulls-workers-off-terminal-3",
    "article:callowayledger.com/articles/20310314-freight-stalls-as-port-alder-strike-begins",
]


def test_copies_with_other_titles_cut_short_or_reworded_form_one_group():
    graph = nx.MultiDiGraph()
    article(graph, "article:a", title="Dockers walk out", excerpt=STRIKE, provider="provider:a.com",
            published="2031-03-13T09:00:00Z")
    article(graph, "article:b", title="Port strike begins", excerpt=STRIKE[:100], provider="provider:b.com",
            published="2031-03-13T06:00:00Z")
    article(graph, "article:c", title="Terminal 3 at a standstill", excerpt=STRIKE.replace("collapsed", "stalled"),
            provider="provider:c.com", published="2031-03-14T06:00:00Z")
    article(graph, "article:d", title="Bridge shut", excerpt=BRIDGE, provider="provider:d.com")
    groups = syndication_groups(graph)
    assert [(g.id, g.members, g.first, g.providers) for g in groups] == [
        (0, ["article:b", "article:a", "article:c"], "article:b", ["provider:a.com", "provider:b.com", "provider:c.com"])
    ]
    assert add_syndicated_edges(graph, groups) == 2  # a star from the first publisher, b
    assert sorted((u, v) for u, v, k in graph.edges(keys=True) if k == "syndicated") == [
        ("article:a", "article:b"), ("article:b", "article:c")]
    assert graph.nodes["article:c"]["syndication"] == 0 and "syndication" not in graph.nodes["article:d"]


def test_shared_boilerplate_of_one_provider_is_not_syndication():
    graph = nx.MultiDiGraph()
    for number, headline in enumerate(["Is there any chance the mayor will concede", "Storm closes the bridge"]):
        article(graph, f"article:video-{number}", provider="provider:tv.com",
                excerpt=f'Watch "{headline}", a TVN video on TVNews.com. View more TVN videos and watch TVN, '
                        "a live news stream featuring original TV News reporting.")
    assert syndication_groups(graph) == []


def test_two_stories_sharing_a_topic_make_two_groups():
    groups = syndication_groups(two_stories())
    assert [g.members for g in groups] == [
        ["article:recount-0", "article:recount-1", "article:recount-2"],
        ["article:strike-0", "article:strike-1", "article:strike-2"],
    ]


def test_lede_and_containment():
    assert lede_shingles("", "Body text only here") == {"body text", "text only", "only here"}
    assert containment({"a b", "b c"}, {"a b", "b c", "c d", "d e"}) == 1.0
    assert containment(set(), {"a b"}) == 0.0


def test_seed_pence_wire_copies_form_one_group(seeds_dir):
    graph = graphnews.build_graph(graphnews.load([str(seeds_dir)]))
    groups = syndication_groups(graph)
    assert [set(g.members) for g in groups] == [PENCE]
    assert groups[0].first == "article:floridapolitics.com/archives/383296-trump-loss-pences-political-future"


def test_sample_wire_group_in_publishing_order():
    graph = graphnews.build_graph(graphnews.load([graphnews.sample_data_path()]))
    groups = syndication_groups(graph)
    assert [(g.members, g.first) for g in groups] == [(WIRE, WIRE[0])]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sets(st.sampled_from([f"w{i} w{i + 1}" for i in range(30)]), min_size=1, max_size=25),
                min_size=2, max_size=12), st.data())
def test_containment_of_hashed_classes_is_containment_of_the_bigrams(sets: list[set[str]], data: st.DataObject):
    """The numpy containment of every candidate pair, all at once, is the set formula's."""
    hashed = [sorted({shingle_hash(shingle) for shingle in found}) for found in sets]
    hashes = np.array([value for values in hashed for value in values], dtype=np.uint64)
    sizes = np.array([len(values) for values in hashed], dtype=np.int64)
    pairs = data.draw(st.lists(st.tuples(st.integers(0, len(sets) - 1), st.integers(0, len(sets) - 1)), max_size=40))
    first = np.array([a for a, _ in pairs], dtype=np.int64)
    second = np.array([b for _, b in pairs], dtype=np.int64)
    got = _containments(first, second, hashes, sizes)
    assert got.tolist() == [containment(sets[a], sets[b]) for a, b in pairs]
