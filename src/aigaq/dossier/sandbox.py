"""The only tags and filters a petition template may use (see petitions.SandboxEngine).

Taken from Django's own libraries, minus everything that loads other templates or libraries
(load, include, extends, block), shows more than the context (debug), or needs a request or
the URL configuration (url, csrf_token, querystring, partials).
"""

from django.template import Library, defaultfilters, defaulttags

ALLOWED_TAGS = ("if", "for", "with", "firstof", "now", "spaceless", "comment", "cycle", "resetcycle",
                "ifchanged", "filter", "autoescape", "templatetag", "verbatim", "widthratio", "regroup")

register = Library()
for _name in ALLOWED_TAGS:
    register.tags[_name] = defaulttags.register.tags[_name]
register.filters.update(defaultfilters.register.filters)
