"""Pages every resident sees alike (the form's first step, the thanks), rendered once and filled in per request.

The first step of a survey's form and its thanks page differ from one resident to the next only in their tokens:
the CSRF token, the form token and the signed (empty) draft. Everything else follows from the survey and its
organisation (every change of either writes an audit event, so the version of trygg.surveys.orgcache moves), the
language and the address. So such a page is rendered once per process and key with stand-ins in place of the tokens,
and each request gets the text with its own tokens put in: what a full render would give, without the template work
that was most of the page's CPU time.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.translation import get_language

KEEP = 64  # pages a process keeps: a few surveys in a few languages
CSRF = "csrf_token"  # the stand-in's name: {% csrf_token %} reads this context variable

_lock = threading.Lock()
_pages: OrderedDict[Hashable, tuple[str, dict[str, str]]] = OrderedDict()


def stock_page(request: HttpRequest, key: Hashable, render: Callable[[Mapping[str, str]], HttpResponse],
               **values: str) -> HttpResponse:
    """The page of `key` with this request's `values` and CSRF token put in.

    `render(stand_ins)` renders it, once per key, language and address, with `stand_ins[name]` wherever `values[name]`
    goes and `stand_ins["csrf_token"]` as the template's CSRF token. `key` must name everything else the page shows.
    A request with a query string is rendered in full: its address is shown on the page (the language switch's next).
    """
    if request.get_full_path() != request.path:
        return render({**values, CSRF: get_token(request)})
    full_key = (key, get_language(), request.path)
    with _lock:
        page = _pages.get(full_key)
        if page is not None:
            _pages.move_to_end(full_key)
    if page is None:
        stand_ins = {name: f"trygg-stand-in-{name}-{secrets.token_hex(8)}" for name in [*values, CSRF]}
        rendered = render(stand_ins)
        page = (rendered.content.decode(rendered.charset), stand_ins)
        with _lock:
            _pages[full_key] = page
            while len(_pages) > KEEP:
                _pages.popitem(last=False)
    text, stand_ins = page
    for name, value in {**values, CSRF: get_token(request)}.items():
        text = text.replace(stand_ins[name], escape(value))
    return HttpResponse(text)
