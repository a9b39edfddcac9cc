from __future__ import annotations

import networkx as nx
import pytest

import graphnews
from graphnews.analysis.annotate import add_cites_edges
from graphnews.analysis.citations import citations, cited_providers, initialism, provider_aliases


@pytest.mark.parametrize("name, expected", [
    ("New York Times", "NYT"), ("The North Bay Times", "NBT"), ("Harbor Herald", "HH"),
    ("CNN", None), ("Wirewatch", None), ("the daily thing", None),
])
def test_initialism(name, expected):
    assert initialism(name) == expected


@pytest.mark.parametrize("text, expected", [
    ("the strike goes on, reported HH.", ["provider:harborherald.com"]),
    ("she told the Alder Post on Friday", ["provider:alderpost.com"]),
    ("according to the Harbor Herald, 900 stopped work", ["provider:harborherald.com"]),
    ("Harbor Herald reported that", ["provider:harborherald.com"]),
    ("HH readers wrote in", []),
    ("reported hh", []),
])
def test_cited_providers(text, expected):
    aliases = {"HH": "provider:harborherald.com", "Harbor Herald": "provider:harborherald.com",
               "Alder Post": "provider:alderpost.com"}
    assert cited_providers(text, aliases) == expected


def test_well_known_alias_only_when_its_provider_is_in_the_graph():
    graph = nx.MultiDiGraph()
    graph.add_node("provider:alderpost.com", kind="provider", label="Alder Post")
    assert provider_aliases(graph)["AP"] == "provider:alderpost.com"
    graph.add_node("provider:apnews.com", kind="provider", label="Associated Press")
    assert provider_aliases(graph)["AP"] == "provider:apnews.com"
    assert "WSJ" not in provider_aliases(graph)


def test_no_edge_to_own_publisher_or_unknown_provider():
    graph = nx.MultiDiGraph()
    graph.add_node("provider:cnn.com", kind="provider", label="CNN")
    graph.add_node("article:a", kind="article", provider="provider:cnn.com", body="two sources told CNN, reported WSJ")
    graph.add_node("article:b", kind="article", body="two sources told CNN")
    assert add_cites_edges(graph, citations(graph)) == 1
    assert [(u, v) for u, v, k in graph.edges(keys=True) if k == "cites"] == [("article:b", "provider:cnn.com")]
    assert "provider:wsj.com" not in graph


def test_seed_002_cites_cnn_and_nyt(seeds_dir):
    graph = graphnews.build_graph(graphnews.load([str(seeds_dir)]))
    assert add_cites_edges(graph, citations(graph)) == 2
    plain = next(node for node in graph if node.startswith("article:text-"))
    assert sorted(v for u, v, k in graph.edges(keys=True) if k == "cites" and u == plain) == [
        "provider:cnn.com", "provider:nytimes.com"]


def test_sample_plain_articles_cite_their_sources():
    graph = graphnews.build_graph(graphnews.load([graphnews.sample_data_path()]))
    assert add_cites_edges(graph, citations(graph)) == 4
    cited = sorted(v for _u, v, k in graph.edges(keys=True) if k == "cites")
    assert cited == ["provider:alderpost.com", "provider:alderpost.com", "provider:harborherald.com",
                     "provider:northbaytimes.com"]
