"""Checking a library file line by line: its structure, each standard and each version.

Every problem is collected, each at its line; a standard with any problem is left out of the
specs, and a file with any problem imports nothing.
"""

from typing import Any

from pydantic import ValidationError

from frontline.i18n import N_
from standards.library_file.field_problems import (
    MISSING_FIELD,
    UNKNOWN_FIELD,
    Where,
    content_problems,
    type_name,
    unknown_keys,
)
from standards.library_file.file_format import (
    FORMAT,
    STANDARD_KEYS,
    TOP_KEYS,
    VERSION_KEYS,
    VERSION_META_KEYS,
    StandardSpec,
    VersionSpec,
)
from standards.library_file.problems import ImportProblem, msg, problem, short
from standards.library_file.reader import LineDict, LineList, load
from standards.library_file.version_meta import check_version_meta
from standards.models import Kind, VersionStatus
from standards.schemas import CODE_PATTERN, VersionContent


def parse_library(text: str) -> tuple[list[StandardSpec], list[ImportProblem]]:
    """The standards in a library file, and everything wrong with it (by line).

    Every problem is collected; the specs are the standards that had none. Import nothing
    when there are problems. The text is read within the caps of library_file.reader.
    """
    data, problems = load(text)
    if problems and data is None:
        return [], problems
    if data is None:
        return [], [problem(1, N_("The file is empty."))]
    if not isinstance(data, LineDict):
        return [], [
            problem(
                1,
                N_(
                    "The file must be a mapping with format: %(format)s and a list of "
                    "standards, not %(actual)s."
                ),
                format=FORMAT,
                actual=type_name(data),
            )
        ]
    _check_top_level(data, problems)
    specs = _standards(data, problems)
    problems.sort(key=lambda p: p.line)
    return specs, problems


def _check_top_level(data: LineDict, problems: list[ImportProblem]) -> None:
    unknown_keys(data, TOP_KEYS, msg(N_("top level")), problems)
    if "format" not in data:
        problems.append(
            problem(
                data.line,
                N_("The first line must be format: %(format)s (it is missing)."),
                format=FORMAT,
            )
        )
    elif data["format"] != FORMAT:
        problems.append(
            problem(
                data.lines["format"],
                N_(
                    "format: %(value)s is not a format this version of Frontline reads "
                    "(expected %(format)s)."
                ),
                value=short(data["format"]),
                format=FORMAT,
            )
        )


def _standards(data: LineDict, problems: list[ImportProblem]) -> list[StandardSpec]:
    raw_standards = data.get("standards")
    if "standards" not in data:
        problems.append(problem(data.line, N_("The list of standards is missing.")))
        return []
    if not isinstance(raw_standards, LineList):
        problems.append(
            problem(
                data.lines["standards"],
                N_("standards: must be a list of standards, not %(actual)s."),
                actual=type_name(raw_standards),
            )
        )
        return []
    specs = []
    seen: dict[str, int] = {}
    for i, (item, line) in enumerate(zip(raw_standards, raw_standards.item_lines, strict=True)):
        spec = _parse_standard(item, line, i, seen, problems)
        if spec is not None:
            specs.append(spec)
    return specs


# ---- a standard --------------------------------------------------------------------------------


def _parse_standard(
    raw: Any, item_line: int, index: int, seen: dict[str, int], problems: list[ImportProblem]
) -> StandardSpec | None:
    where: Where = msg(N_("standards, item %(number)s"), number=index + 1)
    if not isinstance(raw, LineDict):
        problems.append(
            problem(
                item_line,
                N_(
                    "%(where)s: a standard must be a mapping with code, kind and versions, "
                    "not %(actual)s."
                ),
                where=where,
                actual=type_name(raw),
            )
        )
        return None
    before = len(problems)
    code = _standard_code(raw, where, seen, problems)
    if code:
        where = code
    unknown_keys(raw, STANDARD_KEYS, where, problems)
    kind = _standard_kind(raw, where, problems)
    versions = _standard_versions(raw, where, kind, problems)
    if len(problems) > before or kind is None or code is None:
        return None
    return StandardSpec(
        code=code, kind=kind, versions=versions, line=raw.line, kind_line=raw.lines["kind"]
    )


def _standard_code(
    raw: LineDict, where: Where, seen: dict[str, int], problems: list[ImportProblem]
) -> str | None:
    """The standard's code, if it is one and not used by an earlier standard of the file."""
    code = raw.get("code")
    if "code" not in raw:
        problems.append(problem(raw.line, MISSING_FIELD, where=where, name="code"))
        return None
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        problems.append(
            problem(
                raw.lines["code"],
                N_(
                    "%(where)s: code: %(value)s is not a standard code (2 to 6 capital "
                    "letters, a hyphen and 2 to 4 digits, such as GRT-01)."
                ),
                where=where,
                value=short(code),
            )
        )
        return None
    if code in seen:
        problems.append(
            problem(
                raw.lines["code"],
                N_(
                    "%(code)s: this code is already used by the standard on line %(other)s; "
                    "each standard appears once."
                ),
                code=code,
                other=seen[code],
            )
        )
    else:
        seen[code] = raw.lines["code"]
    return code


def _standard_kind(raw: LineDict, where: Where, problems: list[ImportProblem]) -> Kind | None:
    raw_kind = raw.get("kind")
    if "kind" not in raw:
        problems.append(problem(raw.line, MISSING_FIELD, where=where, name="kind"))
        return None
    if not isinstance(raw_kind, str) or raw_kind not in [k.value for k in Kind]:
        problems.append(
            problem(
                raw.lines["kind"],
                N_(
                    "%(where)s: kind: %(value)s is not a kind of standard (use one of: "
                    "%(allowed)s)."
                ),
                where=where,
                value=short(raw_kind),
                allowed=", ".join(k.value for k in Kind),
            )
        )
        return None
    return Kind(raw_kind)


def _standard_versions(
    raw: LineDict, where: Where, kind: Kind | None, problems: list[ImportProblem]
) -> list[VersionSpec]:
    raw_versions = raw.get("versions")
    if "versions" not in raw:
        problems.append(problem(raw.line, MISSING_FIELD, where=where, name="versions"))
        return []
    if not isinstance(raw_versions, LineList) or not raw_versions:
        problems.append(
            problem(
                raw.lines["versions"],
                N_("%(where)s: versions: must be a list of at least one version, not %(actual)s."),
                where=where,
                actual=type_name(raw_versions),
            )
        )
        return []
    versions = []
    for i, (item, line) in enumerate(zip(raw_versions, raw_versions.item_lines, strict=True)):
        version = _parse_version(item, line, i, where, kind, problems)
        if version is not None:
            versions.append(version)
    if len(versions) == len(raw_versions):
        _check_history(where, versions, problems)
    return versions


# ---- a version ---------------------------------------------------------------------------------


def _parse_version(
    raw: Any,
    item_line: int,
    index: int,
    code: Where,
    kind: Kind | None,
    problems: list[ImportProblem],
) -> VersionSpec | None:
    if not isinstance(raw, LineDict):
        problems.append(
            problem(
                item_line,
                N_("%(where)s: a version must be a mapping of fields, not %(actual)s."),
                where=msg(N_("%(code)s versions, item %(number)s"), code=code, number=index + 1),
                actual=type_name(raw),
            )
        )
        return None
    before = len(problems)
    meta, where, meta_problems = check_version_meta(raw, number=index + 1, code=code)
    problems.extend(meta_problems)
    content = _version_content(raw, where, kind, problems)
    if len(problems) > before or meta is None or content is None:
        return None
    return VersionSpec(
        number=meta.version,
        status=meta.status,
        effective_date=meta.effective_date,
        change_note=meta.change_note,
        content=content,
        line=raw.line,
        status_line=raw.lines["status"],
    )


def _version_content(
    raw: LineDict, where: Where, kind: Kind | None, problems: list[ImportProblem]
) -> dict[str, Any] | None:
    """The version's content fields, validated, as stored; None when they have problems."""
    content_data = LineDict()
    content_data.line = raw.line
    for key, value in raw.items():
        if not isinstance(key, str):
            problems.append(
                problem(
                    raw.lines[key],
                    UNKNOWN_FIELD,
                    where=where,
                    field=short(key),
                    allowed=", ".join(VERSION_KEYS),
                )
            )
        elif key not in VERSION_META_KEYS:
            content_data[key] = value
            content_data.lines[key] = raw.lines[key]
    try:
        context = {"kind": kind} if kind is not None else None
        return VersionContent.model_validate(content_data, context=context).as_stored()
    except ValidationError as exc:
        problems.extend(content_problems(exc, content_data, where, kind))
        return None


def _check_history(code: Where, versions: list[VersionSpec], problems: list[ImportProblem]) -> None:
    """The statuses must tell a history the app could have made.

    Only the last version may be a draft. The last version that is not a draft is the one in
    force (published) or retired; each earlier one was superseded by publishing the next, or
    retired before a later version was published.
    """
    for version in versions[:-1]:
        if version.status == VersionStatus.draft:
            problems.append(
                problem(
                    version.status_line,
                    N_(
                        "%(code)s version %(number)s: status: only the last version can be a draft."
                    ),
                    code=code,
                    number=version.number,
                )
            )
    issued = [v for v in versions if v.status != VersionStatus.draft]
    if not issued:
        return
    last = issued[-1]
    if last.status == VersionStatus.superseded:
        problems.append(
            problem(
                last.status_line,
                N_(
                    "%(code)s version %(number)s: status: superseded, but no later version was "
                    "published; the latest version that is not a draft must be published or "
                    "retired."
                ),
                code=code,
                number=last.number,
            )
        )
    for version in issued[:-1]:
        if version.status == VersionStatus.published:
            problems.append(
                problem(
                    version.status_line,
                    N_(
                        "%(code)s version %(number)s: status: published, but version %(last)s "
                        "is %(status)s; only one version can be published and it must be the "
                        "latest that is not a draft (mark this one superseded)."
                    ),
                    code=code,
                    number=version.number,
                    last=last.number,
                    status=last.status.value,
                )
            )
