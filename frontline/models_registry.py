"""Import every table (the shell's and each installed domain's) so SQLModel.metadata knows them."""

import importlib

from frontline.domains import import_models

SHELL_MODEL_MODULES = ("frontline.audit_trail",)


def import_all_models() -> None:
    for name in SHELL_MODEL_MODULES:
        importlib.import_module(name)
    import_models()
