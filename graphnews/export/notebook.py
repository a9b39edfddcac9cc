"""The graph page inline in a Jupyter notebook: ``graphnews.show(graph)``.

The page of :mod:`graphnews.export.html` is put in an ``<iframe srcdoc>``: its styles and
scripts stay inside the frame (the notebook is not restyled), vis-network is inlined once in
it (no request to a CDN, works offline and in exported notebooks), and the frame is
sandboxed to scripts and pop-ups (article links open in a new tab), so the page cannot
reach the notebook.
"""

from __future__ import annotations

import html
from typing import Any

import networkx as nx

from .html import PageInfo, render_page, to_network

#: Height of the frame in pixels.
DEFAULT_HEIGHT = 640


class GraphView:
    """A graph page ready to display in a notebook (``_repr_html_``): the page and what it shows."""

    def __init__(self, page: str, info: PageInfo, height: int = DEFAULT_HEIGHT) -> None:
        self.page = page
        self.info = info
        self.height = height

    def __repr__(self) -> str:
        return f"GraphView({self.info.view} view: {self.info.nodes:,} nodes, {self.info.edges:,} edges)"

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.page, quote=True)}" title="{html.escape(self.info.title, quote=True)}" '
                f'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
                f'style="width: 100%; height: {int(self.height)}px; border: 1px solid #ddd;"></iframe>')


def show(graph: nx.Graph, *, height: int = DEFAULT_HEIGHT, **options: Any) -> GraphView:
    """The interactive page of ``graph`` as a notebook display (the last expression of a cell shows it).

    ``options`` are those of :func:`graphnews.export.html.to_network` (``view``, ``color_by``,
    ``size_by``, ``max_nodes``, ``around``, ``depth``, ``title``).

    >>> import graphnews
    >>> view = show(graphnews.build_graph(graphnews.load([graphnews.sample_data_path()])), max_nodes=20)
    >>> repr(view).startswith("GraphView(full view: 20 nodes, ")
    True
    >>> view._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    True
    """
    net, info = to_network(graph, **options)
    return GraphView(render_page(net, info), info, height)
