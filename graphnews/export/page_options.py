"""The choices of the graph pages (:mod:`graphnews.export.html`), importable without it.

The CLI builds its ``--view`` / ``--color-by`` / ``--max-nodes`` options from these at
start-up, when importing the page writer (pyvis, jinja2, networkx) would cost ``--help``
its speed.
"""

VIEWS = ("full", "clusters", "providers")
COLOR_BY = ("kind", "cluster", "provider")
#: Largest view drawn by default. Measured in headless Chromium on 2 cores (tests/bench/bench_html.py,
#: precomputed layout, ~3.8 edges a node): load until drawn and settled 0.65 s at 500 nodes, 0.62 s
#: at 1,000, 0.87 s at 2,000, 1.73 s at 5,000 (write 0.9 s, 3.0 MB). 2,000 keeps the page fluid to
#: pan and the labels of the most central nodes legible; --max-nodes 5000 still loads in seconds.
DEFAULT_MAX_NODES = 2000
