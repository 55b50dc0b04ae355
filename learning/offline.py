"""The single-file offline copy of a course: styles inlined, local images inlined as data URIs,
and no reference to any other server (remote images become a plain link text)."""

from __future__ import annotations

import base64
import html as htmllib
import re
from pathlib import Path

from django.conf import settings
from django.utils.safestring import mark_safe

from core.api import detect_kind

STYLES = mark_safe("""
body{font-family:"Noto Sans Georgian","DejaVu Sans",system-ui,sans-serif;line-height:1.6;max-width:44rem;
margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff}
h1,h2,h3{line-height:1.25}nav ol{padding-left:1.25rem}section.lesson{border-top:1px solid #ccc;margin-top:2rem}
img{max-width:100%;height:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem}
.meta{color:#555}.quiz li{margin-bottom:.75rem}pre{white-space:pre-wrap}
@media print{section.lesson{page-break-before:always}}
""")  # noqa: S308 - our own constant

IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
MAX_INLINE_BYTES = 2 * 1024 * 1024
_MIME = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}


def _local_media(src: str) -> Path | None:
    media_url = settings.MEDIA_URL
    path = src.split("://", 1)[-1]
    if "://" in src:
        site = settings.SITE_URL.split("://", 1)[-1]
        if not path.startswith(site):
            return None
        path = path[len(site) :]
    if not path.startswith(media_url):
        return None
    root = Path(settings.MEDIA_ROOT).resolve()
    candidate = (root / path[len(media_url) :]).resolve()
    if root not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def _replace(match: re.Match) -> str:
    attrs = {k.lower(): htmllib.unescape(v) for k, v in _ATTR.findall(match.group(0))}
    src, alt = attrs.get("src", ""), attrs.get("alt", "")
    local = _local_media(src)
    if local is not None and local.stat().st_size <= MAX_INLINE_BYTES:
        with local.open("rb") as handle:
            kind = detect_kind(handle)
        if kind in _MIME:
            data = base64.b64encode(local.read_bytes()).decode("ascii")
            return f'<img src="data:{_MIME[kind]};base64,{data}" alt="{htmllib.escape(alt)}">'
    # Anything else would need the network: keep the description, drop the request.
    return f'<span class="img-missing">[{htmllib.escape(alt or src)}]</span>'


def inline_images(html: str) -> str:
    return IMG_TAG.sub(_replace, html)
