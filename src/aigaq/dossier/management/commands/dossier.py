"""`aigaq dossier PERSON_ID… [--lang en|ru|kk|zh] [--format pdf|html] [--internal] [--as USER] -o OUT`."""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from aigaq.dossier.data import EXTERNAL, INTERNAL, LANGUAGES, DossierRefused
from aigaq.dossier.render import FORMATS, make


class Command(BaseCommand):
    requires_system_checks: list = []
    help = ("Write the case dossier of one or more persons (one file). External by default: only what "
            "the publication policy publishes; --internal for the group's own case work.")

    def add_arguments(self, parser):
        parser.add_argument("person_ids", nargs="+", type=int, metavar="PERSON_ID")
        parser.add_argument("--lang", choices=LANGUAGES, default="en")
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), default="pdf")
        parser.add_argument("--internal", action="store_true",
                            help="the full record (witness contact details only with --as a user who may see them)")
        parser.add_argument("--as", dest="as_user", metavar="USER",
                            help="make it as this user: their rights decide the restricted fields")
        parser.add_argument("-o", "--output", required=True, help="the file to write (- for standard output)")
        parser.add_argument("--json", action="store_true", help="print what was written as JSON")

    def handle(self, *args, person_ids, lang, fmt, internal, as_user, output, **opts):
        user = None
        if as_user:
            user = get_user_model().objects.filter(username=as_user, is_active=True).first()
            if user is None:
                raise CommandError(f"--as {as_user}: no such active user")
        audience = INTERNAL if internal else EXTERNAL
        # One document in a process that ends after it: the cyclic garbage collector's passes over
        # the objects fontTools makes while parsing fonts cost about a tenth of the command and
        # free nothing it needs.
        gc.disable()
        try:
            content, name, _ = make(person_ids, language=lang, fmt=fmt, audience=audience, user=user)
        except DossierRefused as exc:
            raise CommandError(str(exc)) from None
        finally:
            gc.enable()
        if output == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
            return
        _write(Path(output), content)
        if opts.get("json"):
            self.stdout.write(_dumps({"path": output, "bytes": len(content), "persons": person_ids,
                                      "audience": audience, "language": lang, "format": fmt}))
        else:
            self.stdout.write(f"{output}: {audience} dossier, {len(person_ids)} person(s), {len(content)} bytes")


def _write(path: Path, content: bytes) -> None:
    """Temporary file, fsync, rename: a reader never sees half a dossier."""
    if path.is_dir():
        raise CommandError(f"{path}: is a folder; give a file name")
    if not path.parent.exists():
        raise CommandError(f"{path.parent}: no such folder")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CommandError(f"{path}: cannot write it ({exc.strerror})") from None


def _dumps(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False)
