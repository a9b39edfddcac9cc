"""The scale-out path: build and analyse a corpus on a Dask cluster, with Parquet tables in between.

``graphnews build PATHS --engine dask [--scheduler ADDRESS] -o DIR.parquet`` runs
:func:`build.build_tables` on the cluster at ``ADDRESS`` (a running ``dask scheduler``) or,
without one, on a ``LocalCluster`` of this machine (:func:`cluster`). The tables it
writes are described in :mod:`.schema`; :mod:`graphnews.tables` analyses them without
networkx. Needs the ``dask`` extra (``pip install graphnews[dask]``); importing this
package does not import Dask.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Memory limit of each LocalCluster worker (Dask spills to disk above ~60% of it).
LOCAL_WORKER_MEMORY = "4GiB"
#: Dask settings graphnews runs with: a machine busy with other work can stall a process
#: for tens of seconds, which must not count as a lost connection (the defaults drop it after 30 s).
PATIENT_TIMEOUTS = {
    "distributed.comm.timeouts.connect": "120s",
    "distributed.comm.timeouts.tcp": "600s",
    "distributed.scheduler.worker-ttl": "30 minutes",
}


@contextmanager
def cluster(scheduler: str | None = None, workers: int | None = None, memory: str | None = None) -> Iterator[Any]:
    """A ``distributed.Client``: connected to ``scheduler``, else to a new LocalCluster.

    The LocalCluster has ``workers`` single-threaded worker processes (default: one per
    core), so parsing Python objects is not held back by the GIL, each limited to
    ``memory`` (default :data:`LOCAL_WORKER_MEMORY`).
    """
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set(PATIENT_TIMEOUTS):
        if scheduler:
            with Client(scheduler, timeout="30s") as client:
                yield client
            return
        count = workers or os.cpu_count() or 1
        with LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=":0",
                          memory_limit=memory or LOCAL_WORKER_MEMORY) as local, Client(local) as client:
            yield client
