"""`aigaq check --deploy`: warn when stored name search keys were made by another names engine."""

from __future__ import annotations

from django.core.checks import Warning, register


@register("names", deploy=True)
def check_name_keys(app_configs=None, **kw) -> list[Warning]:
    from django.db import DatabaseError

    from .rekey import keys_state

    try:
        problem = keys_state()
    except DatabaseError:
        return []   # no database yet (before `aigaq init`): nothing stored to be stale
    if problem:
        return [Warning(f"Search may miss names: {problem}.",
                        hint="Run `aigaq reindex-names` (it rewrites only the keys that differ).",
                        id="aigaq.W020")]
    return []
