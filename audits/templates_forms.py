"""The template editor's form: one page with the template's fields, its sections and a row
per item, read into the same content document the templates file uses (so both are checked
by audits/template_content.py) and written back for editing.

Field names: title_zh, title_en, scoring, description_zh/en; sections s{n}_title_zh/en; items
i{n}_section (the section's number), i{n}_code, i{n}_text_zh/en, i{n}_guidance_zh/en,
i{n}_standard, i{n}_veto_check, i{n}_na_allowed, i{n}_veto, i{n}_points, i{n}_per_occurrence,
i{n}_remove. A row left entirely blank is no item.
"""

import re
from typing import Any

from starlette.datastructures import FormData

from audits.template_content import bilingual, plain_number

MAX_ROWS = 300
MAX_SECTIONS = 50
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
ITEM_TEXT_FIELDS = ("code", "text_zh", "text_en", "guidance_zh", "guidance_en", "standard")
BLANK_ROWS = 3


def _get(form: FormData, name: str, limit: int = 4000) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _number(text: str) -> Any:
    """A number as typed, or the text itself for the checks to refuse."""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return text
    return plain_number(value) if value == value and abs(value) != float("inf") else text


def _indexes(form: FormData, prefix: str, limit: int) -> list[int]:
    found = set()
    for key in form:
        match = re.match(rf"^{prefix}(\d{{1,3}})_", key)
        if match and int(match.group(1)) < limit:
            found.add(int(match.group(1)))
    return sorted(found)


def content_from_form(form: FormData) -> dict[str, Any]:
    """The content document the form describes (unchecked)."""
    content: dict[str, Any] = {
        "title": bilingual(_get(form, "title_zh", 300), _get(form, "title_en", 300)),
        "scoring": _get(form, "scoring", 32),
    }
    description = bilingual(_get(form, "description_zh"), _get(form, "description_en"))
    if description["zh"] or description["en"]:
        content["description"] = description
    numbers = _indexes(form, "s", MAX_SECTIONS)
    sections: list[dict[str, Any]] = [
        {
            "title": bilingual(
                _get(form, f"s{n}_title_zh", 300), _get(form, f"s{n}_title_en", 300)
            ),
            "items": [],
        }
        for n in numbers
    ]
    by_number = dict(zip(numbers, sections, strict=True))
    loose: list[dict[str, Any]] = []
    for n in _indexes(form, "i", MAX_ROWS):
        item = _item_from_form(form, n)
        if item is None:
            continue
        number = _number(_get(form, f"i{n}_section", 4))
        target = by_number.get(number) if isinstance(number, int) else None
        if target is None and sections:
            target = sections[-1]
        (target["items"] if target is not None else loose).append(item)
    if loose:  # rows without any section: kept, for the checks to refuse
        sections.append({"title": bilingual("", ""), "items": loose})
    content["sections"] = [s for s in sections if s["items"] or s["title"]["zh"]]
    return content


def _item_from_form(form: FormData, n: int) -> dict[str, Any] | None:
    values = {name: _get(form, f"i{n}_{name}", 4000) for name in ITEM_TEXT_FIELDS}
    points = _get(form, f"i{n}_points", 20)
    if form.get(f"i{n}_remove") or not (any(values.values()) or points):
        return None
    item: dict[str, Any] = {
        "code": values["code"],
        "text": bilingual(values["text_zh"], values["text_en"]),
    }
    if values["guidance_zh"] or values["guidance_en"]:
        item["guidance"] = bilingual(values["guidance_zh"], values["guidance_en"])
    if values["standard"]:
        item["standard"] = values["standard"].upper()
    veto_check = _get(form, f"i{n}_veto_check", 500)
    if veto_check:
        item["veto_check"] = {"zh": veto_check, "en": ""}
    if form.get(f"i{n}_na_allowed"):
        item["na_allowed"] = True
    if form.get(f"i{n}_veto"):
        item["veto"] = True
    elif points:
        item["points" if _get(form, "scoring", 32) != "weighted" else "weight"] = _number(points)
    per_occurrence = _get(form, f"i{n}_per_occurrence", 20)
    if per_occurrence and not form.get(f"i{n}_veto"):
        item["per_occurrence"] = _number(per_occurrence)
    return item


def form_rows(content: dict[str, Any] | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Sections and item rows for the editor from a content document, plus blank rows."""
    sections: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for number, section in enumerate((content or {}).get("sections", [])):
        sections.append({"number": number, **section["title"]})
        for item in section["items"]:
            rows.append(_row(number, item))
    if not sections:
        sections.append({"number": 0, "zh": "", "en": ""})
    last = sections[-1]["number"]
    rows += [{"section": last} for _ in range(BLANK_ROWS)]
    return sections, rows


def _row(section: int, item: dict[str, Any]) -> dict[str, Any]:
    guidance = item.get("guidance") or {}
    veto_check = item.get("veto_check") or {}
    return {
        "section": section,
        "code": item.get("code", ""),
        "text_zh": item.get("text", {}).get("zh", ""),
        "text_en": item.get("text", {}).get("en", ""),
        "guidance_zh": guidance.get("zh", ""),
        "guidance_en": guidance.get("en", ""),
        "standard": item.get("standard", ""),
        "veto_check": veto_check.get("zh", ""),
        "na_allowed": item.get("na_allowed", False),
        "veto": item.get("veto", False),
        "points": item.get("points", item.get("weight", "")),
        "per_occurrence": item.get("per_occurrence", ""),
    }


def with_veto_check_english(content: dict[str, Any], checks: dict[str, dict[str, str]]) -> None:
    """The form sends a veto check by its Chinese text; fill in its English from the standard."""
    for section in content.get("sections", []):
        for item in section.get("items", []):
            check = item.get("veto_check")
            if check and check["zh"] in checks:
                item["veto_check"] = dict(checks[check["zh"]])
