"""Walk the URL configuration: every URL and API operation, and whether the policy has a rule for it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.checks import Tags, Warning, register
from django.urls import URLPattern, URLResolver, get_resolver

from aigaq.accounts import policy
from aigaq.accounts.ninja_ops import operations, path_view_of

_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    route: str  # the URL pattern, e.g. "staff/persons/<int:pk>/"
    name: str | None  # `namespace:name`
    method: str | None  # API operations only
    operation: str | None  # API operations only: the operation's function name

    @property
    def rule(self) -> policy.Rule | None:
        if self.operation:
            return policy.api_rule(self.operation)
        return policy.url_rule(self.name)

    def params(self) -> list[tuple[str, str, str]]:
        """(converter, name, the path segment before it) for each parameter."""
        found = []
        for m in _PARAM.finditer(self.route):
            before = self.route[: m.start()].rstrip("/").rsplit("/", 1)[-1]
            found.append((m.group("conv") or "str", m.group("name"), before))
        return found


def _walk(patterns, prefix: str, namespaces: tuple[str, ...]) -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespaces + ((p.namespace,) if p.namespace else ())
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = ":".join((*namespaces, p.name)) if p.name else None
            route = prefix + str(p.pattern)
            pv = path_view_of(p.callback)
            if pv is None:
                yield Route(route, name, None, None)
            else:
                for method, op_name, _ in operations(pv):
                    yield Route(route, name, method, op_name)


def routes(urlconf: str | None = None) -> list[Route]:
    return list(_walk(get_resolver(urlconf).url_patterns, "/", ()))


def missing_rules(urlconf: str | None = None) -> list[str]:
    """Every URL or API operation that has no rule in aigaq.accounts.policy (each is denied to all)."""
    missing = []
    for r in routes(urlconf):
        if r.operation and r.rule is None:
            missing.append(f"API {r.method} {r.route} (operation {r.operation!r})")
        elif not r.operation and r.rule is None:
            missing.append(f"URL {r.route} (name {r.name!r})")
    return sorted(set(missing))


@register(Tags.security)
def check_every_url_has_a_rule(app_configs=None, **kw) -> list[Warning]:
    return [Warning(f"{m} has no access rule: it is denied to everyone",
                    hint="Add it to aigaq.accounts.policy (URL_RULES or API_RULES).", id="aigaq.W020")
            for m in missing_rules()]
