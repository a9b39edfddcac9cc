"""The stories' candidate pairs as Dask tasks: :func:`graphnews.analysis.similarity.block_pairs` per row range.

The sparse self-product of the TF-IDF rows (which article pairs are worth scoring) is the
part of the stories that grows fastest with the corpus; its row blocks are independent.
:func:`dask_pair_blocks` makes the :data:`~graphnews.analysis.similarity.PairBlocks` runner
that :func:`~graphnews.analysis.similarity.top_k_pairs` (and so ``find_clusters`` and
``graphnews.tables.find_stories``) takes: the transposed matrix is scattered to every worker
once, each task multiplies one range of rows by it, and the parts come back in row order,
so the pairs, and the stories, are those of the in-process run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import scipy.sparse as sp

from ..analysis.similarity import PairBlocks, ScoredPairs, block_pairs

#: Rows of the matrix one task multiplies (a task then holds its rows' products, block by block).
ROWS_PER_TASK = 20_000


def dask_pair_blocks(client: Any, rows_per_task: int = ROWS_PER_TASK) -> PairBlocks:
    """A runner of the candidate products on the cluster of ``client`` (a ``distributed.Client``).

    Used as ``find_stories(load_tables(url, text=True), pair_blocks=dask_pair_blocks(client))``
    with ``client`` from :func:`graphnews.distributed.cluster` (``tests/test_distributed.py`` runs it).
    """
    def run(matrix: sp.csr_matrix, transposed: sp.csr_matrix, threshold: float,
            top_k: int) -> Iterator[ScoredPairs]:
        shared = client.scatter(transposed, broadcast=True, hash=False)
        futures = [client.submit(block_pairs, matrix[start:start + rows_per_task], shared, start,
                                 threshold=threshold, top_k=top_k, pure=False)
                   for start in range(0, matrix.shape[0], rows_per_task)]
        try:
            for future in futures:  # in row order; each part is released once read
                yield future.result()
                future.release()
        finally:
            client.cancel(futures)
            client.cancel(shared)

    return run


@contextmanager
def pair_blocks_on(scheduler: str | None) -> Iterator[PairBlocks | None]:
    """:func:`dask_pair_blocks` on the running scheduler at ``scheduler``; None (run here) without one."""
    if not scheduler:
        yield None
        return
    from . import cluster

    with cluster(scheduler) as client:
        yield dask_pair_blocks(client)
