"""A template version's content as one plain document, and the checks it must pass.

    title: {zh: 柜面服务检查, en: Counter service check}
    scoring: deduction                # or weighted
    description: {zh: …, en: …}       # optional
    sections:
      - title: {zh: 服务礼仪, en: Etiquette}
        items:
          - {code: CTR-01-03, text: {zh: …, en: …}, standard: GRT-01, points: 3}

An item: code, text, optional guidance, standard (a published standard's code), veto_check
(one of that standard's veto checks), na_allowed, veto; `points` (deduction) or `weight`
(weighted) unless it is a veto item; `per_occurrence` (deduction only, at most the points).
The editor and the templates file both build this document and check it here; problems carry
the file's line when the document came from one (LineDict/LineList remember lines).
"""

from typing import Any

from sqlmodel import Session

from audits.models import Scoring
from frontline.i18n import N_
from standards import service as standards_service
from standards.library_file.problems import ImportProblem, problem, short
from standards.library_file.reader import LineDict, LineList

CONTENT_KEYS = ("title", "scoring", "description", "sections")
SECTION_KEYS = ("title", "items")
ITEM_KEYS = (
    "code",
    "text",
    "guidance",
    "standard",
    "veto_check",
    "na_allowed",
    "veto",
    "points",
    "weight",
    "per_occurrence",
)
MAX_SECTIONS = 50
MAX_ITEMS = 300
MAX_POINTS = 1000
TEXT_LIMITS = {"title": 200, "text": 500, "guidance": 4000, "veto_check": 500, "description": 4000}


def bilingual(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def plain_number(value: float) -> int | float:
    """3.0 as 3, so files read as people write them."""
    return int(value) if float(value).is_integer() else value


def number_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _line_of(node: Any, key: str | int, default: int) -> int:
    if isinstance(node, LineDict) and key in node.lines:
        return node.lines[key]
    if isinstance(node, LineList) and isinstance(key, int) and key < len(node.item_lines):
        return node.item_lines[key]
    return getattr(node, "line", default)


class _Checker:
    def __init__(self, session: Session, line: int) -> None:
        self.session = session
        self.line = line
        self.problems: list[ImportProblem] = []
        self._standards: dict[str, Any] = {}

    def add(self, line: int, message: str, **params: Any) -> None:
        self.problems.append(problem(line, message, **params))

    def unknown_keys(self, node: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in node:
            if key not in allowed:
                self.add(
                    _line_of(node, key, self.line),
                    N_("%(where)s: %(field)s: unknown field (the fields here are: %(allowed)s)."),
                    where=where,
                    field=short(key),
                    allowed=", ".join(allowed),
                )

    def text(
        self, node: dict[str, Any], key: str, where: str, *, required: bool
    ) -> dict[str, str] | None:
        """A {zh, en} pair; zh is required when the field is."""
        value = node.get(key)
        line = _line_of(node, key, self.line)
        if value is None:
            if required:
                self.add(
                    line, N_("%(where)s: the field %(name)s is missing."), where=where, name=key
                )
            return None
        if isinstance(value, dict):
            value = _rejoin_commas(value)
        if not isinstance(value, dict) or set(value) - {"zh", "en"}:
            self.add(line, N_("%(where)s: %(name)s must be {zh: …, en: …}."), where=where, name=key)
            return None
        zh, en = value.get("zh", ""), value.get("en", "")
        if not isinstance(zh, str) or not isinstance(en, str):
            self.add(line, N_("%(where)s: %(name)s must be text."), where=where, name=key)
            return None
        zh, en = zh.strip(), en.strip()
        if required and not zh:
            self.add(line, N_("%(where)s: %(name)s needs the Chinese text."), where=where, name=key)
        limit = TEXT_LIMITS[key]
        if len(zh) > limit or len(en) > limit:
            self.add(
                line,
                N_("%(where)s: %(name)s is longer than %(max)s characters."),
                where=where,
                name=key,
                max=limit,
            )
        return None if not (zh or en) and not required else bilingual(zh, en)

    def number(self, node: dict[str, Any], key: str, where: str) -> float | None:
        value = node.get(key)
        line = _line_of(node, key, self.line)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(line, N_("%(where)s: %(name)s must be a number."), where=where, name=key)
            return None
        if not 0 < value <= MAX_POINTS:
            self.add(
                line,
                N_("%(where)s: %(name)s must be more than 0 and at most %(max)s."),
                where=where,
                name=key,
                max=MAX_POINTS,
            )
            return None
        return float(value)

    def flag(self, node: dict[str, Any], key: str, where: str) -> bool:
        value = node.get(key, False)
        if not isinstance(value, bool):
            self.add(
                _line_of(node, key, self.line),
                N_("%(where)s: %(name)s must be true or false."),
                where=where,
                name=key,
            )
            return False
        return value

    def standard_version(self, code: str) -> Any:
        if code not in self._standards:
            standard = standards_service.get_by_code(self.session, code=code)
            version = (
                standards_service.current_version(self.session, standard=standard)
                if standard
                else None
            )
            published = version is not None and version.status.value == "published"
            self._standards[code] = version if published else None
        return self._standards[code]


def _rejoin_commas(value: dict[Any, Any]) -> dict[Any, Any]:
    """`{zh: …, en: Raise a hand, greet, eye contact}` as people write it: in a YAML flow
    mapping the commas make `greet` and `eye contact` keys without values. Such keys after
    zh or en are put back into that text, commas and all."""
    if all(key in ("zh", "en") for key in value):
        return value
    joined: dict[Any, Any] = {}
    last: Any = None
    for key, part in value.items():
        if key in ("zh", "en"):
            joined[key], last = part, key
        elif part is None and isinstance(key, str) and isinstance(joined.get(last), str):
            joined[last] = f"{joined[last]}, {key}"
        else:
            joined[key] = part
    return joined


def check_content(
    session: Session, data: Any, *, where: str, line: int = 0
) -> tuple[dict[str, Any] | None, list[ImportProblem]]:
    """The checked, normalised content document, or None and what is wrong with it."""
    checker = _Checker(session, line)
    if not isinstance(data, dict):
        checker.add(line, N_("%(where)s: a template must be a mapping."), where=where)
        return None, checker.problems
    checker.unknown_keys(data, (*CONTENT_KEYS, *_EXTRA_KEYS), where)
    content: dict[str, Any] = {"title": checker.text(data, "title", where, required=True)}
    scoring = data.get("scoring")
    if scoring not in {s.value for s in Scoring}:
        checker.add(
            _line_of(data, "scoring", line),
            N_("%(where)s: scoring must be one of %(allowed)s."),
            where=where,
            allowed="weighted, deduction",
        )
    content["scoring"] = scoring
    description = checker.text(data, "description", where, required=False)
    if description is not None:
        content["description"] = description
    content["sections"] = _sections(checker, data, where, scoring == Scoring.deduction)
    if checker.problems:
        return None, checker.problems
    return content, []


# Keys of the template entry around the content (templates_file); not content, not unknown.
_EXTRA_KEYS = ("code", "subject", "version", "status", "change_note")


def _sections(
    checker: _Checker, data: dict[str, Any], where: str, deduction: bool
) -> list[dict[str, Any]]:
    sections = data.get("sections")
    line = _line_of(data, "sections", checker.line)
    if not isinstance(sections, list) or not sections:
        checker.add(
            line, N_("%(where)s: sections must be a list with at least one section."), where=where
        )
        return []
    if len(sections) > MAX_SECTIONS:
        checker.add(line, N_("%(where)s: at most %(max)s sections."), where=where, max=MAX_SECTIONS)
        return []
    result: list[dict[str, Any]] = []
    codes: dict[str, int] = {}
    for index, section in enumerate(sections):
        here = f"{where}, section {index + 1}"
        section_line = _line_of(sections, index, line)
        if not isinstance(section, dict):
            checker.add(section_line, N_("%(where)s: a section must be a mapping."), where=here)
            continue
        checker.unknown_keys(section, SECTION_KEYS, here)
        title = checker.text(section, "title", here, required=True)
        items = section.get("items")
        if not isinstance(items, list) or not items:
            checker.add(
                _line_of(section, "items", section_line),
                N_("%(where)s: items must be a list with at least one item."),
                where=here,
            )
            continue
        checked = [_item(checker, items, i, here, deduction, codes) for i in range(len(items))]
        result.append({"title": title, "items": [item for item in checked if item is not None]})
    if sum(len(s["items"]) for s in result) > MAX_ITEMS:
        checker.add(line, N_("%(where)s: at most %(max)s items."), where=where, max=MAX_ITEMS)
    return result


def _item(
    checker: _Checker,
    items: list[Any],
    index: int,
    where: str,
    deduction: bool,
    codes: dict[str, int],
) -> dict[str, Any] | None:
    node = items[index]
    line = _line_of(items, index, checker.line)
    if not isinstance(node, dict):
        checker.add(
            line, N_("%(where)s: an item must be a mapping."), where=f"{where}, item {index + 1}"
        )
        return None
    code = node.get("code")
    if not isinstance(code, str) or not code.strip() or len(code.strip()) > 32:
        checker.add(
            line,
            N_("%(where)s: each item needs a code of at most 32 characters."),
            where=f"{where}, item {index + 1}",
        )
        return None
    code = code.strip()
    here = f"{where}, {code}"
    if code in codes:
        checker.add(
            line,
            N_("%(where)s: the item code is used twice (also on line %(other)s)."),
            where=here,
            other=codes[code],
        )
    codes[code] = line
    checker.unknown_keys(node, ITEM_KEYS, here)
    doc: dict[str, Any] = {"code": code, "text": checker.text(node, "text", here, required=True)}
    guidance = checker.text(node, "guidance", here, required=False)
    if guidance is not None:
        doc["guidance"] = guidance
    _standard_link(checker, node, doc, here, line)
    if checker.flag(node, "na_allowed", here):
        doc["na_allowed"] = True
    veto = checker.flag(node, "veto", here)
    _points(checker, node, doc, here, line, deduction=deduction, veto=veto)
    return doc


def _standard_link(
    checker: _Checker, node: dict[str, Any], doc: dict[str, Any], where: str, line: int
) -> None:
    code = node.get("standard")
    veto_check = checker.text(node, "veto_check", where, required=False)
    if code is None:
        if veto_check is not None:
            checker.add(
                line, N_("%(where)s: a veto check needs the standard it belongs to."), where=where
            )
        return
    if not isinstance(code, str) or checker.standard_version(code.strip()) is None:
        checker.add(
            _line_of(node, "standard", line),
            N_("%(where)s: %(code)s is not a published standard."),
            where=where,
            code=short(code),
        )
        return
    doc["standard"] = code.strip()
    if veto_check is None:
        return
    checks = checker.standard_version(code.strip()).veto_checks or []
    if veto_check["zh"] not in {check.get("zh") for check in checks}:
        checker.add(
            _line_of(node, "veto_check", line),
            N_("%(where)s: %(code)s has no such veto check."),
            where=where,
            code=code.strip(),
        )
        return
    doc["veto_check"] = veto_check


def _points(
    checker: _Checker,
    node: dict[str, Any],
    doc: dict[str, Any],
    where: str,
    line: int,
    *,
    deduction: bool,
    veto: bool,
) -> None:
    key, other = ("points", "weight") if deduction else ("weight", "points")
    if other in node:
        checker.add(
            _line_of(node, other, line),
            N_(
                "%(where)s: this template scores by %(style)s, "
                "so items take %(key)s, not %(other)s."
            ),
            where=where,
            style="deduction" if deduction else "weight",
            key=key,
            other=other,
        )
    if veto:
        doc["veto"] = True
        if key in node or "per_occurrence" in node:
            checker.add(line, N_("%(where)s: a veto item carries no points."), where=where)
        return
    if key not in node:
        checker.add(line, N_("%(where)s: the field %(name)s is missing."), where=where, name=key)
        return
    points = checker.number(node, key, where)
    if points is not None:
        doc[key] = plain_number(points)
    if "per_occurrence" not in node:
        return
    if not deduction:
        checker.add(
            _line_of(node, "per_occurrence", line),
            N_("%(where)s: per_occurrence is for the deduction style only."),
            where=where,
        )
        return
    amount = checker.number(node, "per_occurrence", where)
    if amount is not None and points is not None and amount > points:
        checker.add(
            _line_of(node, "per_occurrence", line),
            N_("%(where)s: per_occurrence cannot be more than the item's points."),
            where=where,
        )
    elif amount is not None:
        doc["per_occurrence"] = plain_number(amount)
