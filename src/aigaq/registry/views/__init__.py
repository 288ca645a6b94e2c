"""Staff pages of the registry, one module per kind of record."""
