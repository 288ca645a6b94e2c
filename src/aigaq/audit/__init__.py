"""The tamper-evident audit log. Call `aigaq.audit.record(...)`; nothing else writes to it."""

from __future__ import annotations

from typing import Any


def record(action: str, obj: Any = None, **kw: Any):
    from aigaq.audit.chain import record as _record

    return _record(action, obj, **kw)


def record_view(obj: Any, fields: list[str]) -> None:
    """A restricted field was shown to the current user (call it from the view that shows it)."""
    record("view_restricted", obj, changes={"fields": list(fields)})
