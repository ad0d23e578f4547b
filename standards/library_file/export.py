"""Writing the library as YAML: every standard with its whole history, in a stable layout.

The layout is fixed (key order, one-line word lists, literal blocks for multi-line text), so
an export imported into an empty database exports to the same bytes.
"""

from collections.abc import Sequence
from enum import Enum
from typing import Any

import yaml
from sqlmodel import Session, col, select

from frontline.i18n import N_
from standards import service
from standards.library_file.file_format import FLOW_LIST_FIELDS, FORMAT, ITEM_KEY_ORDER
from standards.models import Standard, StandardVersion


class UnknownStandards(service.StandardsError):
    """An export named standards that are not in the library."""

    def __init__(self, codes: Sequence[str]) -> None:
        super().__init__(N_("No standard has the code(s) %(codes)s."))
        self.codes = list(codes)


class _FlowList(list[Any]):
    """A list written on one line."""


class _Dumper(yaml.SafeDumper):
    """Block style, sequences indented under their key, multi-line text as literal blocks.

    The pure-Python dumper on purpose: libyaml's emitter cannot indent sequences under their
    key, and exporting is not where time goes.
    """

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_UNICODE_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # The emitter falls back to a double-quoted scalar when a literal block cannot carry the
    # text exactly (trailing spaces on a line, tabs...).
    if any(ch in data for ch in _UNICODE_BREAKS):
        style: str | None = '"'  # written escaped; raw, a YAML reader takes them as line ends
    elif "\n" in data:
        style = "|"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_none(dumper: yaml.SafeDumper, _data: None) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "null")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_FlowList, _represent_flow_list)
_Dumper.add_representer(type(None), _represent_none)


def _plain(value: Any) -> Any:
    """Enums as their values and text with `\\n` line ends, recursively.

    Text pasted from Windows carries `\\r\\n`; written out as is, it forces quoted scalars and
    makes diffs of the file noisy. The import normalises the same way.
    """
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _ordered_item(item: Any, order: Sequence[str]) -> Any:
    if not isinstance(item, dict):
        return item
    known = {k: item[k] for k in order if k in item}
    return known | {k: v for k, v in item.items() if k not in known}


def _version_document(version: StandardVersion) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "version": version.number,
        "status": _plain(version.status),
        "effective_date": version.effective_date,
        "change_note": _plain(version.change_note),
    }
    for name, value in service.content_of(version).items():
        value = _plain(value)
        if name in FLOW_LIST_FIELDS and isinstance(value, list):
            value = _FlowList(value)
        elif name in ITEM_KEY_ORDER and isinstance(value, list):
            value = [_ordered_item(item, ITEM_KEY_ORDER[name]) for item in value]
        doc[name] = value
    return doc


def dump_library(document: dict[str, Any]) -> str:
    """YAML text for a library document, exactly as export_library writes it."""
    return yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
        indent=2,
    )


def export_library(session: Session, *, codes: Sequence[str] | None = None) -> str:
    """Every standard (by code) with every version (by number), as YAML; or only `codes`.

    Raises UnknownStandards, naming them, if some of `codes` are not in the library.
    """
    query = select(Standard).order_by(col(Standard.code))
    if codes is not None:
        query = query.where(col(Standard.code).in_(list(codes)))
    standards = list(session.exec(query))
    missing = sorted(set(codes or ()) - {s.code for s in standards})
    if missing:
        raise UnknownStandards(missing)
    versions = select(StandardVersion).order_by(
        col(StandardVersion.standard_id), col(StandardVersion.number)
    )
    if codes is not None:
        versions = versions.where(col(StandardVersion.standard_id).in_([s.id for s in standards]))
    by_standard: dict[int, list[StandardVersion]] = {}
    for version in session.exec(versions):
        by_standard.setdefault(version.standard_id, []).append(version)
    document = {
        "format": FORMAT,
        "standards": [
            {
                "code": standard.code,
                "kind": _plain(standard.kind),
                "versions": [_version_document(v) for v in by_standard.get(standard.id or 0, [])],
            }
            for standard in standards
        ],
    }
    return dump_library(document)
