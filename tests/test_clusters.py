from __future__ import annotations

import pytest

import graphnews
from graphnews.analysis.clusters import ClusterConfig, ConfigError, enrich, find_clusters, load_cluster_config

from helpers_stories import two_stories

KUSHNER = "article:cnn.com/cnn/2020/11/08/politics/jared-kushner-donald-trump-concession/index.html"
METHODS = ["louvain", "leiden"]


@pytest.mark.parametrize("method", METHODS)
def test_two_stories_sharing_only_election_do_not_merge(method):
    graph = two_stories()
    assert enrich(graph) == {"similar": 6, "syndicated": 4, "cites": 0}  # two wire groups of 3: two stars
    result = find_clusters(graph, method=method)
    assert [c.members for c in result.clusters] == [
        ["article:recount-0", "article:recount-1", "article:recount-2"],
        ["article:strike-0", "article:strike-1", "article:strike-2"],
    ]
    first = result.clusters[0]
    assert (first.id, first.size, first.start, first.end, first.topics, first.syndication) == (
        0, 3, "2031-03-10T08:00:00Z", "2031-03-12T08:00:00Z", ["Election"], [0])
    assert "recount" in first.label.split()
    assert result.method == method and result.seed == 0 and result.modularity == pytest.approx(0.5, abs=0.01)
    assert graph.nodes["article:strike-2"]["cluster"] == 1


def test_without_content_links_topics_alone_do_not_merge():
    result = find_clusters(two_stories(), ClusterConfig(topic=5.0), method="louvain")
    assert [c.members for c in result.clusters] == [["article:recount-0", "article:recount-1"],
                                                    ["article:strike-0", "article:strike-1"],
                                                    ["article:recount-2"], ["article:strike-2"]]


def test_min_size_filters_only_the_report():
    graph = two_stories()
    result = find_clusters(graph, method="louvain", min_size=2)
    assert [c.id for c in result.clusters] == [0, 1]
    assert sorted(cluster for node, cluster in graph.nodes(data="cluster") if cluster is not None) == [0, 0, 1, 1, 2, 3]


def test_unknown_method_is_an_error():
    with pytest.raises(graphnews.GraphnewsError, match="unknown clustering method 'kmeans'"):
        find_clusters(two_stories(), method="kmeans")


def test_config_file(tmp_path):
    path = tmp_path / "weights.yaml"
    path.write_text("similar: 3\ntopic: 0.5\ntop_k: 4\n")
    assert load_cluster_config(str(path)) == ClusterConfig(similar=3.0, topic=0.5, top_k=4)
    path.write_text("simliar: 3\n")
    with pytest.raises(ConfigError, match="unknown key 'simliar'"):
        load_cluster_config(str(path))
    path.write_text("top_k: 2.5\n")
    with pytest.raises(ConfigError, match="top_k must be a non-negative int"):
        load_cluster_config(str(path))
    path.write_text("- 1\n")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_cluster_config(str(path))


@pytest.mark.parametrize("method", METHODS)
def test_seed_002_clusters_with_000(seeds_dir, method):
    graph = graphnews.build_graph(graphnews.load([str(seeds_dir)]))
    enrich(graph)
    find_clusters(graph, method=method)
    plain = next(node for node in graph if node.startswith("article:text-"))
    assert graph.nodes[plain]["cluster"] == graph.nodes[KUSHNER]["cluster"]


def test_sample_clusters_are_the_six_stories():
    graph = graphnews.build_graph(graphnews.load([graphnews.sample_data_path()]))
    enrich(graph)
    result = find_clusters(graph, method="louvain", min_size=2)
    assert [c.size for c in result.clusters] == [10, 10, 9, 8, 7, 7]
    cluster = {node: c for node, c in graph.nodes(data="cluster") if c is not None}
    strike = next(n for n in cluster if "pickets-at-gate-9" in n)
    leak = next(n for n in cluster if "marsh-apologises" in n or "marsh-apology" in n)
    plain = sorted(n for n in cluster if n.startswith("article:text-"))
    assert sorted(cluster[n] for n in plain) == sorted([cluster[strike], cluster[leak]])
    wire = next(c for c in result.clusters if c.syndication == [0])
    assert wire.label == "union rota terminal workers"


def test_election_corpus_every_article_once_and_stable(election_dir):
    outputs = []
    for _ in range(2):
        graph = graphnews.build_graph(graphnews.load([str(election_dir)]))
        enrich(graph)
        result = find_clusters(graph, method="louvain")
        articles = graphnews.nodes_of_kind(graph, "article")
        members = [m for c in result.clusters for m in c.members]
        assert sorted(members) == articles and len(set(members)) == len(members)
        assert 0.0 < result.modularity < 1.0
        outputs.append(result)
    assert outputs[0] == outputs[1]
