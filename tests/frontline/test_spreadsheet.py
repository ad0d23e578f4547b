"""Exports neutralise spreadsheet formulas and keep typed values typed."""

from datetime import date

from frontline.spreadsheet import safe_cell, safe_row


def test_formula_prefixes_are_quoted():
    for text in ('=HYPERLINK("x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(text) == "'" + text


def test_plain_text_numbers_and_dates_pass_through():
    assert safe_row(["王芳", 3, -2.5, date(2026, 1, 2), None, ""]) == [
        "王芳",
        3,
        -2.5,
        date(2026, 1, 2),
        None,
        "",
    ]
