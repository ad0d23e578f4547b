"""Templating: the Jinja environment, per-request translations, htmx helpers and responses."""

import json
from collections import ChainMap
from collections.abc import Callable, Hashable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from frontline import status
from frontline.i18n import DEFAULT, LANGUAGE_NAMES, SUPPORTED, translations
from frontline.markdown import render as markdown
from frontline.navigation import Navigation, head_assets, navigation
from frontline.settings import ROOT
from frontline.static_files import static_url

TEMPLATES_DIR = ROOT / "templates"


def locale_of(request: Request) -> str:
    return getattr(request.state, "locale", DEFAULT)


def translate(request: Request, message: str, **variables: Any) -> str:
    """Translate a message for this request's locale, then fill %(name)s placeholders."""
    text = translations(locale_of(request)).gettext(message)
    return text % variables if variables else text


def translate_plural(request: Request, singular: str, plural: str, n: int, **variables: Any) -> str:
    text = translations(locale_of(request)).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


# The locale of the template being rendered; set by render() around the (synchronous) render,
# so imported macros translate too without being passed the context.
_rendering_locale: ContextVar[str] = ContextVar("rendering_locale", default=DEFAULT)


def _jinja_gettext(message: str) -> str:
    return translations(_rendering_locale.get()).gettext(message)


def _jinja_ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_rendering_locale.get()).ngettext(singular, plural, n)


@lru_cache(maxsize=8192)
def _translated(locale: str, message: str) -> Markup:
    return Markup(translations(locale).gettext(message))  # noqa: S704 - our catalog, as Jinja treats it


@lru_cache(maxsize=8192)
def _translated_plain(locale: str, message: str) -> Markup:
    return _translated(locale, message) % {}


def _jinja_underscore(message: str, **variables: Any) -> Markup:
    """`_()` in templates, as Jinja's newstyle gettext has it (the translation is markup, its
    variables are escaped, `%%` is always a percent sign), without the context calls, the
    catalog lookup and the formatting that cost a small page a tenth of its time (27 uses
    in the header and footer alone). Translations are read once per process, so remembering
    them per locale and message is safe."""
    locale = _rendering_locale.get()
    if variables:
        return _translated(locale, message) % variables
    return _translated_plain(locale, message)


def _local(zh: str, en: str | None) -> str:
    """`local(zh, en)` in templates: the English text on an English page when there is one,
    else the Chinese, the bank's own. A global, not a macro: a macro that reads the page's
    `request` must be imported with the page's context, which it then holds in a reference
    cycle, so every request waited for the garbage collector to be freed."""
    return en if en and _rendering_locale.get() == "en" else zh


def _page_locale() -> str:
    """The locale of the page being rendered, for macros imported without its context."""
    return _rendering_locale.get()


def per_locale(make: Callable[..., Markup]) -> Callable[..., Markup]:
    """A template global for what lists show on every row (badges, labels): `make(gettext,
    *args)` runs once per locale and arguments (hashable), then is remembered, so a list of
    25 cards pays neither Jinja's macro call nor its gettext per card."""

    @lru_cache(maxsize=1024)
    def made(locale: str, *args: Hashable) -> Markup:
        return make(translations(locale).gettext, *args)

    def label(*args: Hashable) -> Markup:
        return made(_rendering_locale.get(), *args)

    return label


# The bank's time zone for the template being rendered; set by render() like the locale.
_rendering_zone: ContextVar[tzinfo] = ContextVar("rendering_zone", default=UTC)


# strftime costs ~4 µs a call here; isoformat of a naive time gives the same text in ~0.3 µs,
# and lists show a time or two on every row. The formats templates use, as slices of
# `2026-11-30 09:05:07`:
_ISO_FORMATS = {
    "%Y-%m-%d": slice(0, 10),
    "%H:%M": slice(11, 16),
    "%H:%M:%S": slice(11, 19),
    "%Y-%m-%d %H:%M": slice(0, 16),
}


def utc_datetime(value: datetime | date) -> str:
    """Machine-readable: UTC to the second with `Z` (a valid HTML date-time), or a date."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)  # stored times are UTC
        return aware.astimezone(UTC).replace(tzinfo=None).isoformat("T", "seconds") + "Z"
    return value.isoformat()


def local_text(value: datetime | date, format: str | None = None) -> str:
    """For people: a time in the bank's time zone (a plain date stays as it is); by default
    `2026-11-30 09:05` and `2026-11-30`."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        local = aware.astimezone(_rendering_zone.get())
        if format is None:
            return local.replace(tzinfo=None).isoformat(" ", "minutes")
        shown = _ISO_FORMATS.get(format)
        if shown is not None:
            return local.replace(tzinfo=None).isoformat(" ", "seconds")[shown]
        return local.strftime(format)
    if format is None or format == "%Y-%m-%d":
        return value.isoformat()
    return value.strftime(format)


def local_time(value: datetime | date | None, format: str | None = None) -> Markup:
    """The one way templates show a time: `<time datetime="UTC">local time</time>`."""
    if value is None:
        return Markup("")
    # Markup.format costs 5× more than escaping the parts, and lists show a time a row.
    machine, shown = escape(utc_datetime(value)), escape(local_text(value, format))
    return Markup(f'<time datetime="{machine}">{shown}</time>')  # noqa: S704 - parts escaped


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def json_text(value: Any) -> str:
    """JSON for people to read: Chinese stays Chinese (autoescaping still applies)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class _Globals(ChainMap[str, Any]):
    """A template's globals (its own over the environment's), as Jinja keeps them, with
    `keys()` as a set: Jinja subtracts them from the importing template's names on every
    `{% from … import %}`, which through ChainMap's views cost ~25 µs an import, three
    milliseconds for a list whose rows include a template that imports a macro."""

    def keys(self) -> set[str]:  # type: ignore[override]
        return set().union(*self.maps)


class _Environment(Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return _Globals(d or {}, self.globals)


def _environment() -> Environment:
    env = _Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Checking every template file for changes on every render costs a stat() per
        # template; create_app turns it on for developers (FRONTLINE_RELOAD_TEMPLATES).
        auto_reload=False,
    )
    env.install_gettext_callables(_jinja_gettext, _jinja_ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = _jinja_underscore  # {% trans %} blocks keep the extension's gettext
    env.globals["local"] = _local
    env.globals["page_locale"] = _page_locale
    env.filters["json_text"] = json_text
    env.filters["local_time"] = local_time
    env.globals.update(
        supported_locales=SUPPORTED,
        language_names=LANGUAGE_NAMES,
        is_htmx=is_htmx,
        status_message=status.message,
        head_assets=head_assets,
        markdown=markdown,
        static_url=static_url,
    )
    return env


templates = Jinja2Templates(env=_environment())


def nav_links(request: Request) -> Markup:
    """The header's links for the signed-in person: the same for everyone who may open the
    same pages, is on the same one and sees the same counts, so rendered once per such
    navigation and locale (the header's loop and its translations were a third of a small
    page's rendering)."""
    nav, locale = navigation(request), locale_of(request)
    if templates.env.auto_reload:
        _nav_links.cache_clear()  # a developer editing the template sees it at once
    return _nav_links(nav, locale)


@lru_cache(maxsize=2048)
def _nav_links(nav: Navigation, locale: str) -> Markup:
    token = _rendering_locale.set(locale)
    try:
        html = templates.env.get_template("components/_nav_links.html").render(nav=nav)
    finally:
        _rendering_locale.reset(token)
    return Markup(html)  # noqa: S704 - our autoescaped template's output


templates.env.globals["nav_links"] = nav_links


def kept_fragment(template: str, *, maxsize: int = 4096) -> Callable[..., Markup]:
    """A template global for a row that lists repeat for many people (a standard's card):
    `template` rendered with the keyword arguments given, once per locale and arguments
    (hashable, or lists), then remembered, so a list of 25 cards pays Jinja's attribute lookups,
    escaping and translations once, not on every request. The template sees its arguments
    and `locale`, nothing of the request: it must not show anything of the viewer's, such
    as a CSRF token, that the arguments do not carry. Its times show in the bank's time zone,
    which is part of the key."""

    @lru_cache(maxsize=maxsize)
    def made(locale: str, zone: tzinfo, values: tuple[tuple[str, Hashable], ...]) -> Markup:
        html = templates.env.get_template(template).render(dict(values), locale=locale)
        return Markup(html)  # noqa: S704 - our autoescaped template's output

    def fragment(**values: Any) -> Markup:
        if templates.env.auto_reload:
            made.cache_clear()  # a developer editing the template sees it at once
        # A list (a JSON column's) is kept as the tuple of its items.
        items = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in values.items())
        return made(_rendering_locale.get(), _rendering_zone.get(), items)

    return fragment


@contextmanager
def _rendering(request: Request) -> Iterator[None]:
    """Templates rendered inside translate and show times for this request."""
    token = _rendering_locale.set(locale_of(request))
    zone_token = _rendering_zone.set(request.app.state.settings.zone())
    try:
        yield
    finally:
        _rendering_zone.reset(zone_token)
        _rendering_locale.reset(token)


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    with _rendering(request):
        response = templates.TemplateResponse(
            request,
            template,
            dict(context or {}),
            status_code=status_code,
            headers=dict(headers or {}),
        )
    response.headers["Vary"] = "HX-Request, Accept-Language, Cookie"
    return response


def render_markup(request: Request, template: str, context: Mapping[str, Any]) -> Markup:
    """A template rendered for a page to include: a part costly enough to keep rendered
    (frontline/figure_cache.py) while the page around it, with the viewer's header, is not."""
    with _rendering(request):
        html = templates.get_template(template).render({**context, "request": request})
    # Others will be shown this part: a form with the viewer's CSRF token belongs around it.
    token = getattr(request.state, "csrf_token", None)
    if token and token in html:
        raise RuntimeError(f"{template} carries the viewer's CSRF token: render it in the page")
    return Markup(html)  # noqa: S704 - our autoescaped template's output


def wants_fragment(request: Request, target: str) -> bool:
    """Whether htmx asks for only the element with id `target`, not the whole page."""
    return is_htmx(request) and request.headers.get("HX-Target") == target


def render_page_or_fragment(
    request: Request,
    page: str,
    fragment: str,
    context: Mapping[str, Any] | None = None,
    *,
    target: str,
    status_code: int = 200,
) -> Response:
    """One URL, two answers: the fragment when htmx targets `target`, else the page that
    includes it. A cache must tell them apart, so the response varies on HX-Target too."""
    template = fragment if wants_fragment(request, target) else page
    response = render(request, template, context, status_code=status_code)
    response.headers["Vary"] = f"{response.headers['Vary']}, HX-Target"
    return response


def redirect(request: Request, url: str) -> Response:
    """After a successful form post: a 303 for a plain form, HX-Redirect for htmx."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def safe_next(url: str | None, default: str = "/") -> str:
    """Only same-site relative paths, so ?next= cannot send anyone elsewhere.

    Browsers read a backslash as a slash and drop tabs and newlines, so `/\\evil.example`
    and `/<tab>/evil.example` mean `//evil.example`: refused, also when percent-encoded.
    """
    if not url:
        return default
    for text in (url, unquote(url)):
        parts = urlsplit(text)
        if parts.scheme or parts.netloc or not text.startswith("/") or text.startswith("//"):
            return default
        if "\\" in text or any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in text):
            return default
    return url


def markup(html: str) -> Markup:
    """Mark HTML that has already been sanitised as safe for templates."""
    return Markup(html)  # noqa: S704 - callers pass sanitised HTML only
