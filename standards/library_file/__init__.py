"""The standards library as one YAML file: export it, check it line by line, import it.

One module per concern: file_format (the format and the specs read from it), reader (safe,
line-tracking YAML), problems (translatable messages), validate with field_problems and
version_meta (checking a file), plan (what an import would do), apply (doing it), export.
"""

from standards.library_file.apply import ImportRefused, apply_import
from standards.library_file.export import UnknownStandards, dump_library, export_library
from standards.library_file.file_format import FORMAT, StandardSpec, VersionSpec
from standards.library_file.plan import Action, ImportPlan, StandardPlan, plan_import
from standards.library_file.problems import ImportProblem
from standards.library_file.validate import parse_library

__all__ = [
    "FORMAT",
    "Action",
    "ImportPlan",
    "ImportProblem",
    "ImportRefused",
    "StandardPlan",
    "StandardSpec",
    "UnknownStandards",
    "VersionSpec",
    "apply_import",
    "dump_library",
    "export_library",
    "parse_library",
    "plan_import",
]
