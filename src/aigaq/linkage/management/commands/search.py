"""`aigaq search QUERY [--json] [--limit N] [filters]`: find persons by any spelling in any script."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from aigaq.registry.filters import PersonFilters, filter_persons
from aigaq.registry.models import Person
from aigaq.registry.search import search_persons


class Command(BaseCommand):
    help = "Search persons by name (any script, any spelling), best matches first; filters combine."

    def add_arguments(self, parser):
        parser.add_argument("query", help="a name, or part of one, in any script")
        parser.add_argument("--limit", type=int, default=20, help="how many matches (default 20, at most 500)")
        parser.add_argument("--ethnicity", default="", help="e.g. kazakh, uyghur")
        parser.add_argument("--status", default="", help="e.g. detained, imprisoned")
        parser.add_argument("--place", default="", help="gazetteer code: home place or anywhere below it")
        parser.add_argument("--facility", type=int, default=None, help="facility id")
        parser.add_argument("--year", type=int, default=None, help="year of first detention")
        parser.add_argument("--json", action="store_true", help="print matches as JSON")

    def handle(self, *args, query, limit, ethnicity, status, place, facility, year, **opts):
        if not query.strip():
            raise CommandError("give a name to search for")
        if not 1 <= limit <= 500:
            raise CommandError("--limit must be between 1 and 500")
        pf = PersonFilters(ethnicity=ethnicity, status=status, place=place, facility=facility, year=year)
        allowed = filter_persons(Person.objects.filter(merged_into__isnull=True), pf) if pf.active else None
        hits = search_persons(query, allowed=allowed, limit=limit)
        if opts["json"]:
            out = [{"id": h.person.pk, "uid": str(h.person.uid), "display_name": h.person.display_name,
                    "matched_name": h.name, "score": h.score, "birth_years": h.person.birth_label,
                    "ethnicity": h.person.ethnicity, "status": h.person.status} for h in hits]
            self.stdout.write(json.dumps({"query": query, "count": len(out), "results": out}, ensure_ascii=False))
            return
        if not hits:
            self.stdout.write(f"No person found for {query!r}.")
            return
        for h in hits:
            shown = h.person.display_name + (f"  (as {h.name})" if h.name != h.person.display_name else "")
            self.stdout.write(f"{h.person.pk:>9}  {h.score:.2f}  {shown}  {h.person.birth_label}")
