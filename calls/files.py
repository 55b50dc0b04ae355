"""Uploaded files as a blind reviewer may receive them: without anything that could name the applicant.

Images are decoded and written again with Pillow, which keeps only the pixels (no EXIF, XMP, comments or
PNG text chunks). For PDF and office documents no production library here can guarantee that every author,
creator, producer or title field (and XMP packet, and earlier revision kept in the file) is gone, so in a
blind call those are not served to reviewers at all; staff can read them, and reviewers are told why.
"""

from __future__ import annotations

import io

from PIL import Image

CONTENT_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
CLEANABLE = frozenset({"png", "jpeg"})


def can_clean(kind: str) -> bool:
    return kind in CLEANABLE


def without_metadata(content: bytes, kind: str) -> bytes:
    """The image's pixels in a new file of the same type, and nothing else."""
    if kind not in CLEANABLE:
        raise ValueError(f"cannot remove metadata from {kind!r} files")
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        if kind == "png":
            mode = (
                "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else ("L" if image.mode == "L" else "RGB")
            )
        else:
            mode = "L" if image.mode == "L" else "RGB"
        # A new image holds only what is pasted into it: none of the source's info travels along.
        pixels = Image.new(mode, image.size)
        pixels.paste(image.convert(mode))
    out = io.BytesIO()
    pixels.save(out, format="PNG" if kind == "png" else "JPEG", **({"quality": 92} if kind == "jpeg" else {}))
    return out.getvalue()
