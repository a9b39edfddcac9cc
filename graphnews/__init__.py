"""graphnews: turn a folder of news article records into a graph you can explore.

The pipeline, one module per stage::

    read (files -> Mention) -> merge (into a Corpus of Article/Provider/Topic)
    -> build (networkx graph) -> analysis -> export -> cli

>>> import graphnews
>>> corpus = graphnews.load([graphnews.sample_data_path()])
>>> graph = graphnews.build_graph(corpus)
>>> graph.nodes[next(iter(corpus.articles))]["kind"]
'article'
"""

from __future__ import annotations

from importlib import import_module, resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below are imported on first use: `graphnews --help` needs none of them
    from .analysis.pipeline import analyse
    from .build import build_graph, edge_counts, nodes_of_kind
    from .errors import GraphnewsError, InputError, SchemaError
    from .export.files import read_graph, write_graph
    from .export.html import write_html
    from .export.notebook import show
    from .loader import load
    from .model import Article, Corpus, Mention, Provider, Topic
    from .schema import validate
    from .urls import canonical_url

__all__ = [
    "Article", "Corpus", "GraphnewsError", "InputError", "Mention", "Provider", "SchemaError", "Topic",
    "analyse", "build_graph", "canonical_url", "edge_counts", "load", "nodes_of_kind", "read_graph",
    "sample_data_path", "show", "validate", "write_graph", "write_html",
]
__version__ = "0.1.0"

#: Public name -> the module that defines it (imported when the name is first used).
_LAZY = {
    "analyse": ".analysis.pipeline", "write_html": ".export.html",
    "build_graph": ".build", "edge_counts": ".build", "nodes_of_kind": ".build",
    "GraphnewsError": ".errors", "InputError": ".errors", "SchemaError": ".errors",
    "load": ".loader", "validate": ".schema",
    "read_graph": ".export.files", "write_graph": ".export.files",
    "show": ".export.notebook",
    "Article": ".model", "Corpus": ".model", "Mention": ".model", "Provider": ".model", "Topic": ".model",
    "canonical_url": ".urls",
}


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562), so that importing graphnews stays light."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'graphnews' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def sample_data_path() -> str:
    """Folder of the embedded sample corpus (fictional articles in the dataset's schema)."""
    return str(resources.files("graphnews") / "data" / "sample")
