"""Cells for the CSV and XLSX files the product writes, safe to open in a spreadsheet."""

from typing import Any

# A text cell starting with one of these is read by Excel/LibreOffice as a formula (CSV
# injection, OWASP); tab and carriage return start one too after some importers strip them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with text that a spreadsheet would run as a formula prefixed by a quote.

    Numbers, dates and None pass through unchanged, so typed columns stay typed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [safe_cell(value) for value in values]
