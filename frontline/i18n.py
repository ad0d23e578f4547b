"""Translations (Babel catalogs) and picking a locale for each request.

The .po files are the source of truth; they are compiled in memory at start-up, so a stale
.mo can never be served.
"""

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
SUPPORTED = ("zh_CN", "en")
DEFAULT = "en"
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


@lru_cache
def translations(locale: str) -> gettext.NullTranslations:
    po_path = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT or not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


# Parsing a tag with Babel costs more than the rest of picking a locale; the few tags that
# browsers send are remembered (bounded: the header is the client's to choose).
@lru_cache(maxsize=256)
def normalize(value: str | None) -> str | None:
    """Map 'zh', 'zh-CN', 'zh_Hans_CN' and the like onto a supported locale, else None."""
    if not value:
        return None
    try:
        parsed = Locale.parse(value.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    if parsed.language == "zh":
        return "zh_CN"
    if parsed.language == "en":
        return "en"
    return None


@lru_cache(maxsize=256)
def from_accept_language(header: str | None) -> str | None:
    """The best supported locale in an Accept-Language header, honouring q-values."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, index, tag.strip()))
    for _q, _i, tag in sorted(ranked):
        found = normalize(tag)
        if found:
            return found
    return None


def pick_locale(*, user_locale: str | None, cookie: str | None, accept_language: str | None) -> str:
    return (
        normalize(user_locale)
        or normalize(cookie)
        or from_accept_language(accept_language)
        or DEFAULT
    )
