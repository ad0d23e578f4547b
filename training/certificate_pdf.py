"""A certificate as PDF: Chinese and English text that renders and can be copied out, and a QR
code of its verification address.

The Chinese font is reportlab's built-in CID font STSong-Light (Adobe's standard Chinese
font, which every PDF reader supplies), so nothing beyond pip is installed and the text stays
text: selectable, searchable, and read back by the tests.
"""

import io
from dataclasses import dataclass
from datetime import date

import segno
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

FONT = "STSong-Light"  # Chinese; its Latin glyphs are spaced for CJK text, so Latin uses
LATIN = "Helvetica"  # one of PDF's standard fonts
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
INK = HexColor("#1f2a44")
ACCENT = HexColor("#9a1b1b")


@dataclass(frozen=True)
class CertificateText:
    number: str
    name: str
    employee_no: str
    module_code: str
    title_zh: str
    title_en: str
    version: int
    issued_on: date
    expires_on: date | None
    verify_url: str
    status_line: str = ""  # e.g. "已撤销 Revoked" on a revoked certificate's copy


def _runs(text: str) -> list[tuple[str, str]]:
    """The text cut into runs of one font: Chinese (and full-width) in STSong, the rest Latin."""
    runs: list[tuple[str, str]] = []
    for char in text:
        font = LATIN if ord(char) < 0x2E80 and char != "·" else FONT
        char = "-" if char == "·" else char  # STSong has no middle dot
        if runs and runs[-1][1] == font:
            runs[-1] = (runs[-1][0] + char, font)
        else:
            runs.append((char, font))
    return runs


def _width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(run, font, size) for run, font in _runs(text))


def _line(canvas: Canvas, x: float, y: float, text: str, size: float, color: object = INK) -> None:
    """One line in mixed fonts, as one text object so readers copy it as one line."""
    canvas.setFillColor(color)
    line = canvas.beginText(x, y)
    for run, font in _runs(text):
        line.setFont(font, size)
        line.textOut(run)
    canvas.drawText(line)


def _centred(canvas: Canvas, y: float, text: str, size: float, color: object = INK) -> None:
    _line(canvas, (A4[1] - _width(text, size)) / 2, y, text, size, color)


def _qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """The QR code drawn as squares (vector, sharp at any zoom)."""
    code = segno.make(data, error="m")
    matrix = list(code.matrix_iter(border=2))
    cell = size / len(matrix)
    canvas.setFillColor(HexColor("#000000"))
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                canvas.rect(
                    x + col_index * cell,
                    y + size - (row_index + 1) * cell,
                    cell,
                    cell,
                    stroke=0,
                    fill=1,
                )


def render(text: CertificateText) -> bytes:
    buffer = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height))
    canvas.setTitle(f"{text.number} {text.title_zh}")
    canvas.setAuthor("Frontline")
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(28, 28, width - 56, height - 56)
    canvas.setLineWidth(1)
    canvas.rect(36, 36, width - 72, height - 72)
    _centred(canvas, height - 110, "培训合格证书", 34, ACCENT)
    _centred(canvas, height - 140, "Certificate of Training", 16)
    _centred(canvas, height - 200, f"{text.name}（工号 {text.employee_no}）", 24)
    _centred(canvas, height - 226, f"{text.name} (employee no. {text.employee_no})", 12)
    _centred(canvas, height - 270, "完成培训课程 has completed the training module", 14)
    _centred(canvas, height - 310, f"{text.title_zh}", 24, ACCENT)
    if text.title_en:
        _centred(canvas, height - 334, text.title_en, 14)
    _centred(
        canvas,
        height - 360,
        f"{text.module_code} - 第 {text.version} 版 Version {text.version}",
        12,
    )
    left = 80
    _line(canvas, left, 150, f"证书编号 Certificate no.: {text.number}", 12)
    _line(canvas, left, 128, f"发证日期 Issued: {text.issued_on.isoformat()}", 12)
    expiry = text.expires_on.isoformat() if text.expires_on else "长期有效 No expiry"
    _line(canvas, left, 106, f"有效期至 Valid until: {expiry}", 12)
    _line(canvas, left, 84, f"验证 Verify: {text.verify_url}", 12)
    if text.status_line:
        _centred(canvas, 190, text.status_line, 20, ACCENT)
    _qr(canvas, text.verify_url, width - 80 - 110, 70, 110)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def qr_svg(data: str) -> str:
    """The QR code for an HTML page: an inline SVG with a title for screen readers."""
    return segno.make(data, error="m").svg_inline(scale=4, border=2, title=data)
