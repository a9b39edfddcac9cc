"""The one jinja2 environment of graphnews's pages.

Templates live in ``graphnews/templates``: ``_base.html`` (the document, its Content Security
Policy: the pages request nothing), ``_partials/`` (pieces pages share, such as the header),
and one template per page (``graph.html``, ``index.html``) extending the base. Autoescaping is
on: text from the data is shown as text; markup made in Python is passed as ``Markup``.
"""

from __future__ import annotations

from typing import Any

import jinja2

ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("graphnews", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def render(template: str, **context: Any) -> str:
    """The text of page ``template`` (a file name under ``graphnews/templates``) with ``context``."""
    return ENVIRONMENT.get_template(template).render(**context)
