"""A version's text in the reader's language: each field in that language, else the other.

Both languages are the bank's authoritative text; a reader sees one at a time, with the
other one tap away (`?lang=en|zh`), so steps and phrases follow the language as the body does.
"""

from dataclasses import dataclass
from typing import Any, Literal

from standards.models import StandardVersion

Lang = Literal["zh", "en"]
HTML_LANG: dict[str, str] = {"zh": "zh-CN", "en": "en"}


def reading_language(*, locale: str, requested: Lang | None) -> Lang:
    """The language asked for on the URL, else the interface language."""
    if requested is not None:
        return requested
    return "zh" if locale == "zh_CN" else "en"


def other_language(lang: Lang) -> Lang:
    return "en" if lang == "zh" else "zh"


@dataclass(frozen=True)
class Text:
    text: str
    # The HTML lang of the text actually shown, which differs from the reader's on fallback.
    lang: str

    def __bool__(self) -> bool:
        return bool(self.text)


@dataclass(frozen=True)
class Phrase:
    text: Text
    # Accepted variants are Chinese wording, shown with the Chinese phrase only.
    variants: list[str]


@dataclass(frozen=True)
class VersionText:
    lang: Lang
    other: Lang
    title: Text
    body: Text
    steps: list[Text]
    required_phrases: list[Phrase]
    forbidden_phrases: list[Text]
    good_practice: Text
    bad_practice: Text
    veto_checks: list[Text]


def _pick(zh: str | None, en: str | None, lang: Lang) -> Text:
    texts = {"zh": zh or "", "en": en or ""}
    chosen: Lang = lang if texts[lang] else other_language(lang)
    return Text(texts[chosen], HTML_LANG[chosen])


def _phrase(phrase: dict[str, Any], lang: Lang) -> Phrase:
    text = _pick(phrase.get("text"), phrase.get("en"), lang)
    variants = list(phrase.get("variants") or []) if text.lang == HTML_LANG["zh"] else []
    return Phrase(text, variants)


def version_text(version: StandardVersion, *, lang: Lang) -> VersionText:
    return VersionText(
        lang=lang,
        other=other_language(lang),
        title=_pick(version.title_zh, version.title_en, lang),
        body=_pick(version.body_zh, version.body_en, lang),
        steps=[_pick(s.get("zh"), s.get("en"), lang) for s in version.steps],
        required_phrases=[_phrase(p, lang) for p in version.required_phrases],
        forbidden_phrases=[
            _pick(p.get("text"), p.get("en"), lang) for p in version.forbidden_phrases
        ],
        good_practice=_pick(version.good_practice_zh, version.good_practice_en, lang),
        bad_practice=_pick(version.bad_practice_zh, version.bad_practice_en, lang),
        veto_checks=[_pick(c.get("zh"), c.get("en"), lang) for c in version.veto_checks],
    )


def title_in(version: StandardVersion, *, locale: str) -> str:
    """The title for lists: the interface language, else the other."""
    return _pick(
        version.title_zh, version.title_en, reading_language(locale=locale, requested=None)
    ).text
