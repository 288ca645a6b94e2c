"""Find the django-ninja operation behind a resolved URL, so the policy can be applied to it.

django-ninja serves every API path through one Django view per path (a PathView); the
operation for a request is the one of that path with the request's method.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ninja.operation import PathView


def path_view_of(view_func: Callable) -> PathView | None:
    """The PathView behind a view function that django-ninja generated, else None."""
    # Imported here, not at module level: this module is loaded when the apps start, and
    # importing django-ninja (and pydantic) costs every management command ~0.3 s.
    from ninja.operation import PathView

    for cell in getattr(view_func, "__closure__", None) or ():
        try:
            contents = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if isinstance(contents, PathView):
            return contents
    return None


def operation_name(view_func: Callable, method: str) -> str | None:
    """Name (function name) of the operation answering `method` on this path, or None."""
    pv = path_view_of(view_func)
    if pv is None:
        return None
    for op in pv.operations:
        if method.upper() in op.methods:
            return op.view_func.__name__
    return None


def operations(path_view: PathView) -> Iterator[tuple[str, str, Any]]:
    """(method, operation name, operation) for every operation of a path."""
    for op in path_view.operations:
        for method in op.methods:
            yield method, op.view_func.__name__, op
