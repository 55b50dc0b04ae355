"""Validation of uploaded files: type by content (not by name), size, and a safe file name."""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise
    extensions: tuple[str, ...]
    mimes: tuple[str, ...]


KINDS = {
    "pdf": Kind("pdf", "PDF", ("pdf",), ("application/pdf",)),
    "png": Kind("png", "PNG", ("png",), ("image/png",)),
    "jpeg": Kind("jpeg", "JPEG", ("jpg", "jpeg"), ("image/jpeg",)),
    "webp": Kind("webp", "WebP", ("webp",), ("image/webp",)),
    "docx": Kind(
        "docx",
        _("Word (.docx)"),
        ("docx",),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    ),
    "xlsx": Kind(
        "xlsx",
        _("Excel (.xlsx)"),
        ("xlsx",),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    ),
    "odt": Kind("odt", _("OpenDocument text (.odt)"), ("odt",), ("application/vnd.oasis.opendocument.text",)),
    "ods": Kind(
        "ods",
        _("OpenDocument spreadsheet (.ods)"),
        ("ods",),
        ("application/vnd.oasis.opendocument.spreadsheet",),
    ),
}
DOCUMENT_KINDS = ("pdf", "docx", "odt", "xlsx", "ods", "png", "jpeg")
IMAGE_KINDS = ("png", "jpeg", "webp")

_ZIP_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_OD_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}


# An OpenDocument file's first entry names its type in a few dozen bytes; never decompress more while sniffing.
_MIMETYPE_READ_LIMIT = 128


def detect_kind(upload, kinds: tuple[str, ...] | None = None) -> str | None:
    """The file's kind, read from its bytes; with ``kinds``, only those kinds are looked for.

    Office formats are ZIP archives: only their entry names are read, and at most a few bytes of an
    OpenDocument ``mimetype`` entry, so a small archive holding a huge entry costs no memory.
    """
    wanted = tuple(KINDS) if kinds is None else kinds
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    guess = filetype.guess(head)
    if guess is not None:
        for key, kind in KINDS.items():
            if guess.mime in kind.mimes and key not in _ZIP_MARKERS and key not in _OD_MIMETYPES:
                return key
    zip_kinds = [key for key in wanted if key in _ZIP_MARKERS or key in _OD_MIMETYPES]
    if head.startswith(b"PK\x03\x04") and zip_kinds:
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                for key in zip_kinds:
                    if key in _ZIP_MARKERS and _ZIP_MARKERS[key] in names:
                        return key
                if "mimetype" in names and any(key in _OD_MIMETYPES for key in zip_kinds):
                    with archive.open("mimetype") as entry:
                        mimetype = entry.read(_MIMETYPE_READ_LIMIT + 1)
                    mimetype = b"" if len(mimetype) > _MIMETYPE_READ_LIMIT else mimetype.strip()
                    for key in zip_kinds:
                        if _OD_MIMETYPES.get(key) == mimetype:
                            return key
        except (zipfile.BadZipFile, OSError, KeyError, EOFError, NotImplementedError, RuntimeError):
            return None
        finally:
            upload.seek(0)
    return None


def safe_filename(name: str, *, max_length: int = 120) -> str:
    """A name safe to store and show: no folders, no control characters, no leading dots, bounded length."""
    name = unicodedata.normalize("NFC", os.path.basename(name.replace("\\", "/")))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r"[<>:\"/\\|?*]", "_", name).strip().lstrip(".")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem[: max_length - len(ext) - 1] or "file"
    return f"{stem}.{ext.lower()}" if ext else stem


def validate_upload(upload, *, kinds: tuple[str, ...] = DOCUMENT_KINDS, max_bytes: int | None = None) -> str:
    """Check size, content type and name. Returns the detected kind; raises ValidationError with a clear message."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    raw_name = upload.name or ""
    if any(unicodedata.category(c) == "Cc" for c in raw_name) or ".." in raw_name.replace("\\", "/").split(
        "/"
    ):
        raise ValidationError(
            _("The file name contains characters that are not allowed. Rename the file and try again."),
            code="bad_name",
        )
    kind = detect_kind(upload, kinds)
    allowed = ", ".join(str(KINDS[k].label) for k in kinds)
    if kind not in kinds:
        raise ValidationError(
            _("This file's content is not an allowed type. Allowed: %(allowed)s."),
            code="bad_type",
            params={"allowed": allowed},
        )
    extension = safe_filename(raw_name).rpartition(".")[2].lower()
    if extension not in KINDS[kind].extensions:
        raise ValidationError(
            _("The file's name ends in .%(ext)s but its content is %(kind)s. Rename or convert it."),
            code="extension_mismatch",
            params={"ext": extension or "—", "kind": str(KINDS[kind].label)},
        )
    return kind
