"""Aigaq: documentation of people detained, imprisoned or disappeared."""

__version__ = "0.1.0"
