"""The Parquet tables ``graphnews build --engine dask`` writes, and how they are read back.

A dataset is a folder ``DIR.parquet/`` with three partitioned tables (each a folder of
``part-*.parquet`` files, in no particular order: sort by ``id`` or ``source, target``)
and a ``graphnews.json`` with the run's counts:

``nodes/``: one row per node, the node attributes of :mod:`graphnews.build` as columns
(null where the graph leaves the attribute out):

* ``id`` (``article:<canonical url>``, ``provider:<domain>``, ``topic:<slug>``), ``kind``;
* articles: ``label``, ``title``, ``excerpt``, ``body``, ``url``, ``link``, ``published``
  (ISO 8601 UTC text), ``provider`` (node id), ``topics`` (display names), ``quality``,
  ``type``, ``full``, ``aliases``, ``sources``, ``mentions``;
* providers: ``label``, ``domain``, ``names``; topics: ``label``.

``edges/``: ``source``, ``target``, ``kind`` (``related``, ``published_by``, ``tagged``),
``weight`` (1.0), ``rank`` and ``quality`` (``related`` only).

``problems/``: ``path``, ``line``, ``message``, ``fatal``: what the single-machine path
reports and ``--errors FILE`` writes, one row each.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import InputError

NODES, EDGES, PROBLEMS = "nodes", "edges", "problems"
META_FILE = "graphnews.json"
FORMAT_VERSION = 1

_text, _texts = pa.string(), pa.list_(pa.string())
NODE_SCHEMA = pa.schema([
    ("id", _text), ("kind", _text), ("label", _text), ("title", _text), ("excerpt", _text), ("body", _text),
    ("url", _text), ("link", _text), ("published", _text), ("provider", _text), ("topics", _texts),
    ("quality", pa.int64()), ("type", _text), ("full", pa.bool_()), ("aliases", _texts), ("sources", _texts),
    ("mentions", pa.int64()), ("domain", _text), ("names", _texts),
])
EDGE_SCHEMA = pa.schema([
    ("source", _text), ("target", _text), ("kind", _text), ("weight", pa.float64()),
    ("rank", pa.int64()), ("quality", pa.int64()),
])
PROBLEM_SCHEMA = pa.schema([("path", _text), ("line", pa.int64()), ("message", _text), ("fatal", pa.bool_())])


def node_table(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Node attribute mappings (as :func:`graphnews.build.article_attributes` makes them) as a table."""
    return pa.Table.from_pylist(list(rows), schema=NODE_SCHEMA)


def edge_table(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Edge mappings (``source``, ``target``, ``kind``, ``weight``, optional ``rank``/``quality``) as a table."""
    return pa.Table.from_pylist(list(rows), schema=EDGE_SCHEMA)


def problem_table(problems: Sequence[InputError]) -> pa.Table:
    """Problems as a table, in the order given (file order)."""
    return pa.Table.from_pylist([problem.to_dict() for problem in problems], schema=PROBLEM_SCHEMA)


def write_part(fs: Any, root: str, table_name: str, part: str, table: pa.Table) -> str:
    """Write one part file under ``root/table_name/``; written under a temporary name, then renamed.

    A task that runs twice (its worker died after writing) rewrites the same name, so
    parts are never duplicated.
    """
    folder = posixpath.join(root, table_name)
    fs.makedirs(folder, exist_ok=True)
    final = posixpath.join(folder, f"part-{part}.parquet")
    temporary = final + ".writing"
    with fs.open(temporary, "wb") as handle:
        pq.write_table(table, handle, compression="zstd")
    fs.mv(temporary, final)
    return final


def write_meta(fs: Any, root: str, meta: Mapping[str, Any]) -> None:
    """The run's counts and inputs, beside the tables."""
    with fs.open(posixpath.join(root, META_FILE), "w") as handle:
        json.dump({"format": FORMAT_VERSION, **meta}, handle, indent=1, sort_keys=True)


def read_table(fs: Any, root: str, table_name: str, columns: Sequence[str] | None = None) -> pa.Table:
    """One table of a dataset, all parts concatenated (part files in name order)."""
    schema = {NODES: NODE_SCHEMA, EDGES: EDGE_SCHEMA, PROBLEMS: PROBLEM_SCHEMA}[table_name]
    wanted = list(columns) if columns is not None else schema.names
    tables = list(read_parts(fs, root, table_name, wanted))
    return pa.concat_tables(tables) if tables else schema.empty_table().select(wanted)


def read_parts(fs: Any, root: str, table_name: str, columns: Sequence[str]) -> Iterator[pa.Table]:
    """The part files of one table, one at a time (name order): a reader holds one part, not the table."""
    folder = posixpath.join(root, table_name)
    paths = sorted(path for path in fs.find(folder) if path.endswith(".parquet")) if fs.exists(folder) else []
    for path in paths:
        with fs.open(path, "rb") as handle:
            yield pq.read_table(handle, columns=list(columns))


def read_meta(fs: Any, root: str) -> dict[str, Any]:
    """The ``graphnews.json`` of a dataset."""
    with fs.open(posixpath.join(root, META_FILE), "r") as handle:
        return json.load(handle)
