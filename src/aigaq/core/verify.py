"""A registry of integrity checks that `aigaq verify` runs.

Each app registers its checks in its AppConfig.ready(): a check is a function that takes a
VerifyContext and yields Problem objects; it yields nothing when all is well. Checks report
progress through the context so that long runs show where they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Problem:
    subject: str  # what is wrong: "item 12", "ledger entry #40", "checkpoint 7"
    sha256: str  # the SHA-256 of the item concerned, or "" when none applies
    what: str  # in words a person can act on

    def __str__(self) -> str:
        sha = f" sha256:{self.sha256}" if self.sha256 else ""
        return f"{self.subject}{sha}: {self.what}"

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class VerifyContext:
    sample: float = 100.0  # percent of items whose content is re-read and re-hashed
    progress: Callable[[str, int, int], None] = field(default=lambda label, done, total: None)
    notes: list[str] = field(default_factory=list)  # facts worth showing that are not problems


Check = Callable[[VerifyContext], Iterator[Problem]]
_CHECKS: dict[str, Check] = {}


def register(name: str) -> Callable[[Check], Check]:
    """Decorator: `@register("vault fixity")`. Checks run in the order they were registered."""

    def decorate(func: Check) -> Check:
        _CHECKS[name] = func
        return func

    return decorate


def checks() -> dict[str, Check]:
    return dict(_CHECKS)


def run_all(context: VerifyContext, only: list[str] | None = None) -> Iterator[tuple[str, Problem]]:
    for name, check in _CHECKS.items():
        if only and name not in only:
            continue
        for problem in check(context):
            yield name, problem
