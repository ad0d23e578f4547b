"""Reading an uploaded file: one size cap and one decoding rule for every import page.

Views that take uploads are plain `def` routes, so this runs in the thread pool and a large
file never holds the event loop.
"""

from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol

from frontline.i18n import N_

# Excel on Chinese Windows saves CSV as GB18030 (a superset of GBK); everything else is UTF-8.
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


class Upload(Protocol):
    file: BinaryIO


@dataclass
class UploadError(Exception):
    """A file refused before it is parsed; `message` is a msgid, `params` fill it."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)


def read_upload(upload: Upload, *, max_bytes: int) -> bytes:
    """The file's bytes, reading at most one byte past the cap (blocking: call from `def`)."""
    data = upload.file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadError(
            N_("The file is larger than %(limit)s."), {"limit": human_size(max_bytes)}
        )
    if not data.strip():
        raise UploadError(N_("The file is empty."))
    return data


def decode_text(data: bytes, *, encodings: tuple[str, ...] = TEXT_ENCODINGS) -> str:
    """Text from the first encoding that decodes the whole file, line endings normalised."""
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise UploadError(N_("The file is not text in UTF-8 or GB18030."))


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return f"{size} B"
