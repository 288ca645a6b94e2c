"""Helpers of the names tests, importable by name (see tests/personas.py for why not a conftest)."""

from __future__ import annotations

from aigaq.names import MATCH_THRESHOLD, keys, similarity


def same(a: str, b: str) -> bool:
    """Does the engine take the two names for one person?"""
    return similarity(a, b) >= MATCH_THRESHOLD


def share_key(a: str, b: str) -> bool:
    """Would a key lookup bring the two names together?"""
    return bool(set(keys(a)) & set(keys(b)))
