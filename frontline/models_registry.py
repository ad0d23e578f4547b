"""Import every domain's tables so SQLModel.metadata knows them (for Alembic and tests)."""

import importlib

MODEL_MODULES = ("frontline.audit_trail", "staff.models", "standards.models")


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
