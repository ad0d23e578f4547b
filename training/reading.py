"""Module and lesson text in the reader's language, each field falling back to the other
(as standards/reading.py does for standards)."""

from dataclasses import dataclass
from typing import Protocol

from standards.reading import HTML_LANG, Lang, Text, other_language


class Bilingual(Protocol):
    title_zh: str
    title_en: str


@dataclass(frozen=True)
class ModuleText:
    lang: Lang
    other: Lang
    title: Text
    summary: Text
    body: Text


def pick(zh: str | None, en: str | None, lang: Lang) -> Text:
    texts = {"zh": zh or "", "en": en or ""}
    chosen: Lang = lang if texts[lang] else other_language(lang)
    return Text(texts[chosen], HTML_LANG[chosen])


def module_text(item: Bilingual, *, lang: Lang) -> ModuleText:
    """Title, summary (versions) and body (lessons), whichever the item has."""
    return ModuleText(
        lang=lang,
        other=other_language(lang),
        title=pick(item.title_zh, item.title_en, lang),
        summary=pick(getattr(item, "summary_zh", ""), getattr(item, "summary_en", ""), lang),
        body=pick(getattr(item, "body_zh", ""), getattr(item, "body_en", ""), lang),
    )
