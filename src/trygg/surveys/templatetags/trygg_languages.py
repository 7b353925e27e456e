"""The language switch's choices: each language named in itself, as settings.LANGUAGES gives it.

Django's get_available_languages translates the names into the page's language ("Engelska"), and
get_language_info knows only Django's own languages, not one added by its catalogue (surveys/languages.py).
"""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def language_choices() -> list[tuple[str, str]]:
    return [(str(code), str(name)) for code, name in settings.LANGUAGES]
