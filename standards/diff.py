"""A readable side-by-side diff of two versions: field by field, line by line, and within a
changed line, character by character (Chinese has no spaces to split words on)."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from frontline.i18n import N_
from staff.models import POSITION_LABELS
from standards.models import CATEGORY_LABELS, CHANNEL_LABELS, SEVERITY_LABELS

Segment = tuple[str, bool]  # (text, changed)


@dataclass
class Row:
    kind: str  # equal, replace, delete, insert
    left: list[Segment] = field(default_factory=list)
    right: list[Segment] = field(default_factory=list)


@dataclass
class Section:
    label: str
    rows: list[Row]

    @property
    def changed(self) -> bool:
        return any(r.kind != "equal" for r in self.rows)


def _sections(content: dict[str, Any], tr: Callable[[str], str]) -> list[tuple[str, list[str]]]:
    def text(value: str) -> list[str]:
        return [line for line in (value or "").split("\n")]

    return [
        (N_("Title (Chinese)"), [content["title_zh"]]),
        (N_("Title (English)"), [content["title_en"]]),
        (N_("Category"), [tr(CATEGORY_LABELS[content["category"]])]),
        (N_("Severity"), [tr(SEVERITY_LABELS[content["severity"]])]),
        (
            N_("Veto checks"),
            [f"{c['zh']} / {c.get('en', '')}" for c in content.get("veto_checks", [])],
        ),
        (N_("Channels"), [tr(CHANNEL_LABELS[c]) for c in content["channels"]]),
        (N_("Positions"), [tr(POSITION_LABELS[p]) for p in content["positions"]]),
        (N_("Body (Chinese)"), text(content["body_zh"])),
        (N_("Body (English)"), text(content["body_en"])),
        (
            N_("Steps"),
            [f"{i}. {s['zh']} / {s.get('en', '')}" for i, s in enumerate(content["steps"], 1)],
        ),
        (
            N_("Required phrases"),
            [
                f"{p['text']} / {p.get('en', '')}"
                + (f" ({'; '.join(p['variants'])})" if p.get("variants") else "")
                for p in content["required_phrases"]
            ],
        ),
        (
            N_("Forbidden phrases"),
            [f"{p['text']} / {p.get('en', '')}" for p in content["forbidden_phrases"]],
        ),
        (N_("Good practice (Chinese)"), text(content["good_practice_zh"])),
        (N_("Good practice (English)"), text(content["good_practice_en"])),
        (N_("Bad practice (Chinese)"), text(content["bad_practice_zh"])),
        (N_("Bad practice (English)"), text(content["bad_practice_en"])),
    ]


# Latin words and numbers compare whole; every other character (Chinese, punctuation) alone.
_TOKEN = re.compile(r"[A-Za-z0-9_'-]+|\s+|.", re.DOTALL)


def _inline(a: str, b: str) -> tuple[list[Segment], list[Segment]]:
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    left: list[Segment] = []
    right: list[Segment] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if i2 > i1:
            left.append(("".join(ta[i1:i2]), op != "equal"))
        if j2 > j1:
            right.append(("".join(tb[j1:j2]), op != "equal"))
    return left, right


def diff(old: dict[str, Any], new: dict[str, Any], tr: Callable[[str], str] = str) -> list[Section]:
    """Sections of rows; labels and choice names pass through tr (translation)."""
    sections = []
    for (label, a), (_, b) in zip(_sections(old, tr), _sections(new, tr), strict=True):
        a = [line for line in a if line != ""] if a == [""] else a
        b = [line for line in b if line != ""] if b == [""] else b
        rows: list[Row] = []
        for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op == "equal":
                rows.extend(Row("equal", [(line, False)], [(line, False)]) for line in a[i1:i2])
            elif op == "replace":
                pairs = max(i2 - i1, j2 - j1)
                for k in range(pairs):
                    left = a[i1 + k] if i1 + k < i2 else None
                    right = b[j1 + k] if j1 + k < j2 else None
                    if left is not None and right is not None:
                        rows.append(Row("replace", *_inline(left, right)))
                    elif left is not None:
                        rows.append(Row("delete", [(left, True)], []))
                    else:
                        rows.append(Row("insert", [], [(right or "", True)]))
            elif op == "delete":
                rows.extend(Row("delete", [(line, True)], []) for line in a[i1:i2])
            else:
                rows.extend(Row("insert", [], [(line, True)]) for line in b[j1:j2])
        if rows:
            sections.append(Section(tr(label), rows))
    return sections
