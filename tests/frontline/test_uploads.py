"""The shared upload reader: size cap, empty files, UTF-8 and GB18030, line endings."""

import io
from dataclasses import dataclass

import pytest

from frontline.uploads import UploadError, decode_text, human_size, read_upload


@dataclass
class FakeUpload:
    file: io.BytesIO


def test_reads_up_to_the_cap_and_refuses_more():
    assert read_upload(FakeUpload(io.BytesIO(b"a" * 10)), max_bytes=10) == b"a" * 10
    with pytest.raises(UploadError) as refused:
        read_upload(FakeUpload(io.BytesIO(b"a" * 11)), max_bytes=10)
    assert refused.value.params == {"limit": "10 B"}


def test_an_empty_file_is_refused():
    with pytest.raises(UploadError):
        read_upload(FakeUpload(io.BytesIO(b"  \n")), max_bytes=10)


def test_decodes_utf8_with_bom_and_gb18030_and_normalises_line_endings():
    assert decode_text("\ufeff工号\r\nA\r".encode()) == "工号\nA\n"
    assert decode_text("大堂经理".encode("gb18030")) == "大堂经理"
    with pytest.raises(UploadError):
        decode_text(b"\xff\xfe\x00", encodings=("utf-8-sig",))


def test_human_size():
    assert human_size(5 * 1024 * 1024) == "5 MB"
    assert human_size(1536) == "1.5 KB"
