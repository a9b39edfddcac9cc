"""graphnews: turn a folder of news article records into a graph you can explore.

The pipeline, one module per stage::

    read (files -> Mention) -> corpus (merge into Article/Provider/Topic)
    -> build (networkx graph) -> analysis -> export -> cli

>>> import graphnews
>>> corpus = graphnews.load([graphnews.sample_data_path()])
>>> graph = graphnews.build_graph(corpus)
>>> graph.nodes[next(iter(corpus.articles))]["kind"]
'article'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module, resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below are imported on first use: `graphnews --help` needs none of them
    from .analysis.pipeline import analyse
    from .build import build_graph, edge_counts, nodes_of_kind
    from .errors import GraphnewsError, InputError
    from .export.files import read_graph, write_graph
    from .export.html import write_html
    from .export.notebook import show
    from .model import Article, Corpus, Mention, Provider, Topic
    from .urls import canonical_url

__all__ = [
    "Article", "Corpus", "GraphnewsError", "InputError", "Mention", "Provider", "Topic",
    "analyse", "build_graph", "canonical_url", "edge_counts", "load", "nodes_of_kind", "read_graph",
    "sample_data_path", "show", "write_graph", "write_html",
]
__version__ = "0.1.0"

#: Public name -> the module that defines it (imported when the name is first used).
_LAZY = {
    "analyse": ".analysis.pipeline", "write_html": ".export.html",
    "build_graph": ".build", "edge_counts": ".build", "nodes_of_kind": ".build",
    "GraphnewsError": ".errors", "InputError": ".errors",
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
    None: use it for 64+ files); ``max_bytes`` defaults to ``graphnews.read.DEFAULT_MAX_FILE_BYTES``;
    ``follow_links`` follows symlinks that leave the inputs.
    """
    from .corpus import merge_mentions
    from .read import DEFAULT_MAX_FILE_BYTES, read_paths

    if max_bytes is None:
        max_bytes = DEFAULT_MAX_FILE_BYTES
    paths = list(paths)
    result = read_paths(paths, max_bytes=max_bytes, workers=workers, on_progress=on_progress, cache=cache,
                        follow_links=follow_links)
    corpus = merge_mentions(result.mentions, result.problems, files=result.files, records=result.records)
    corpus.inputs = tuple(paths)
    corpus.yaml_reference = dict(result.yaml_reference)
    return corpus
