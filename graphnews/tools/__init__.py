"""Tools for developing graphnews, not part of the library: ``python -m graphnews.tools.synthetic``
writes synthetic corpora, ``python -m graphnews.tools.bench`` times the stages on them and
``python -m graphnews.tools.dask_bench`` times the Dask path."""
