"""The library file format, `frontline-standards/1`, and the standards read from it.

A mapping with `format` and a list of `standards`; each standard has code, kind and its
versions; each version has version, status, effective_date, change_note and then the content
fields in the order of models.CONTENT_FIELDS (standards/demo_library.yaml is an example).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from standards.models import CONTENT_FIELDS, Kind, VersionStatus

FORMAT = "frontline-standards/1"
TOP_KEYS = ("format", "standards")
STANDARD_KEYS = ("code", "kind", "versions")
VERSION_META_KEYS = ("version", "status", "effective_date", "change_note")
VERSION_KEYS = (*VERSION_META_KEYS, *CONTENT_FIELDS)
# Lists of short words, written on one line like the demo file: channels: [counter, lobby]
FLOW_LIST_FIELDS = ("channels", "positions")
# Key order inside the items of the list fields.
ITEM_KEY_ORDER = {
    "steps": ("zh", "en"),
    "required_phrases": ("text", "en", "variants"),
    "forbidden_phrases": ("text", "en"),
    "veto_checks": ("zh", "en"),
}


@dataclass
class VersionSpec:
    """One version of a standard as the file gives it, checked."""

    number: int
    status: VersionStatus
    effective_date: date | None
    change_note: str | None
    # Validated content, as stored (plain values in CONTENT_FIELDS order).
    content: dict[str, Any]
    line: int
    status_line: int = 0


@dataclass
class StandardSpec:
    """One standard as the file gives it, with every version, checked."""

    code: str
    kind: Kind
    versions: list[VersionSpec]
    line: int
    kind_line: int
