"""A registry of integrity checks that `aigaq verify` runs.

Each app registers its checks in its AppConfig.ready(): a check is a function that takes a
VerifyContext and yields Problem objects; it yields nothing when all is well. Checks report
progress through the context so that long runs show where they are.

A check may also have a `start` function (`@register(name, start=...)`): run_all calls it
before any check runs, on the calling thread (so it may read the database), and the work it
starts (re-hashing files on worker threads) goes on while the other checks run; the check
itself then runs last and collects that work from `context.started[name]`. An object kept there
with a `close()` method is closed when run_all ends, however it ends.
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
    started: dict[str, object] = field(default_factory=dict)  # what each check's start() began


Check = Callable[[VerifyContext], Iterator[Problem]]
Start = Callable[[VerifyContext], object]
_CHECKS: dict[str, Check] = {}
_STARTS: dict[str, Start] = {}


def register(name: str, *, start: Start | None = None) -> Callable[[Check], Check]:
    """Decorator: `@register("vault fixity")`. Checks run in the order they were registered,
    except that checks with a `start` function run after the others (their work overlaps them)."""

    def decorate(func: Check) -> Check:
        _CHECKS[name] = func
        if start is not None:
            _STARTS[name] = start
        else:
            _STARTS.pop(name, None)
        return func

    return decorate


def checks() -> dict[str, Check]:
    return dict(_CHECKS)


def run_all(context: VerifyContext, only: list[str] | None = None) -> Iterator[tuple[str, Problem]]:
    selected = [name for name in _CHECKS if not only or name in only]
    early = [name for name in selected if name in _STARTS]
    try:
        for name in early:
            context.started[name] = _STARTS[name](context)
        for name in [n for n in selected if n not in early] + early:
            for problem in _CHECKS[name](context):
                yield name, problem
    finally:
        for name in early:
            close = getattr(context.started.pop(name, None), "close", None)
            if close is not None:
                close()
