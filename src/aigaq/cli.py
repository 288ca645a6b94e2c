"""The `aigaq` command: Django's management commands under the names in DESIGN.md.

`aigaq seed-demo` runs the `seed_demo` command, and so on: hyphens are for people,
underscores for Python modules.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"import": "import_data"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aigaq.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = ALIASES.get(args[0], args[0].replace("-", "_"))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["aigaq", *args])


if __name__ == "__main__":
    main()
