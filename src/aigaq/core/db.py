"""Database connection housekeeping shared by long-running and forking code."""

from __future__ import annotations

from django.db import connections


def release_connections() -> None:
    """Close this thread's database connections (before forking, or when a worker idles).

    A connection inside a transaction is left open: closing it would abort the transaction
    (and the test suite runs each test inside one, on PostgreSQL as on SQLite).
    """
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()


def close_stale_connections() -> None:
    """Django's close_old_connections, except inside a transaction (see release_connections)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()
