"""Type detection of uploads never decompresses more than a few bytes of an archive."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import detect_kind, validate_upload


def zip_bomb(entry_bytes: int, mimetype_prefix: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    """A small archive whose ``mimetype`` entry decompresses to ``entry_bytes`` bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype_prefix + b" " * (entry_bytes - len(mimetype_prefix)))
    return out.getvalue()


def peak_bytes_of(func) -> int:
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_huge_mimetype_entry_is_not_decompressed_while_sniffing():
    data = zip_bomb(40 * 1024 * 1024)
    assert len(data) < 200 * 1024
    upload = SimpleUploadedFile("report.odt", data)
    peak = peak_bytes_of(lambda: detect_kind(upload))
    assert peak < 5 * 1024 * 1024


def test_an_archive_is_not_opened_when_the_field_accepts_no_archive_kind():
    upload = SimpleUploadedFile("photo.png", zip_bomb(40 * 1024 * 1024))
    peak = peak_bytes_of(
        lambda: pytest.raises(ValidationError, validate_upload, upload, kinds=("png", "jpeg"))
    )
    assert peak < 5 * 1024 * 1024


def test_opendocument_and_office_files_are_still_recognised():
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", b"<x/>")
    assert validate_upload(SimpleUploadedFile("budget.ods", odt.getvalue()), kinds=("ods",)) == "ods"
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", b"<w/>")
    assert detect_kind(SimpleUploadedFile("cv.docx", docx.getvalue())) == "docx"
    assert detect_kind(SimpleUploadedFile("cv.docx", docx.getvalue()), ("pdf",)) is None


def test_a_long_mimetype_entry_is_not_taken_for_an_opendocument_file():
    upload = SimpleUploadedFile("report.odt", zip_bomb(4096))
    with pytest.raises(ValidationError) as error:
        validate_upload(upload, kinds=("odt",))
    assert error.value.code == "bad_type"
