"""Printable and shareable forms of a credential: the A4 PDF (one or many pages), the QR code, the baked PNG.

Fonts: DejaVu Sans (regular and bold), embedded, covering Latin and Georgian (Mkhedruli). Georgian text is
never uppercased. The PDF is drawn with ReportLab; the QR code (segno) links to the verification page.
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlencode

import segno
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from credentials import formats
from credentials.verification import PNG_KEYWORD

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
PAGE = landscape(A4)
INK = (0.11, 0.17, 0.29)
ACCENT = (0.71, 0.16, 0.18)

GEORGIAN_MONTHS = [
    "იანვარი",
    "თებერვალი",
    "მარტი",
    "აპრილი",
    "მაისი",
    "ივნისი",
    "ივლისი",
    "აგვისტო",
    "სექტემბერი",
    "ოქტომბერი",
    "ნოემბერი",
    "დეკემბერი",
]
ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# Fixed certificate wording (printed in both languages whatever the reader's language).
TEXT = {
    "title_ka": "სერტიფიკატი",
    "title_en": "Certificate",
    "awarded_ka": "გადაეცემა",
    "awarded_en": "is awarded to",
    "for_ka": "მიღწევისთვის",
    "for_en": "for",
    "issued_ka": "გაცემის თარიღი",
    "issued_en": "Issued",
    "valid_until_ka": "მოქმედების ვადა",
    "valid_until_en": "Valid until",
    "verify_ka": "გადაამოწმეთ",
    "verify_en": "Verify at",
    "code_ka": "კოდი",
    "code_en": "Code",
}


def _register_fonts() -> None:
    if "CertSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("CertSans", str(FONT_REGULAR)))
        pdfmetrics.registerFont(TTFont("CertSans-Bold", str(FONT_BOLD)))


def date_ka(moment) -> str:
    local = moment.astimezone(_tz())
    return f"{local.day} {GEORGIAN_MONTHS[local.month - 1]} {local.year}"


def date_en(moment) -> str:
    local = moment.astimezone(_tz())
    return f"{local.day} {ENGLISH_MONTHS[local.month - 1]} {local.year}"


def _tz():
    from django.utils import timezone

    return timezone.get_default_timezone()


def qr_png(url: str, *, scale: int = 6) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def _fit(c, text: str, font: str, size: float, max_width: float, min_size: float = 10) -> float:
    while size > min_size and pdfmetrics.stringWidth(text, font, size) > max_width:
        size -= 1
    return size


def draw_certificate(c: canvas.Canvas, credential, issuer) -> None:
    """One certificate on the current page."""
    width, height = PAGE
    achievement = credential.achievement
    centre = width / 2
    usable = width - 60 * mm

    c.setStrokeColorRGB(*INK)
    c.setLineWidth(2)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setLineWidth(0.5)
    c.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    c.setFillColorRGB(*INK)
    c.setFont("CertSans", 12)
    c.drawCentredString(centre, height - 30 * mm, f"{issuer.name_ka} · {issuer.name_en}")
    c.setFillColorRGB(*ACCENT)
    c.setFont("CertSans-Bold", 30)
    c.drawCentredString(centre, height - 48 * mm, TEXT["title_ka"])
    c.setFont("CertSans", 16)
    c.drawCentredString(centre, height - 57 * mm, TEXT["title_en"])

    c.setFillColorRGB(*INK)
    c.setFont("CertSans", 12)
    c.drawCentredString(centre, height - 72 * mm, f"{TEXT['awarded_ka']} · {TEXT['awarded_en']}")
    name_ka = credential.recipient_name_ka or credential.recipient_name_latin
    size = _fit(c, name_ka, "CertSans-Bold", 28, usable)
    c.setFont("CertSans-Bold", size)
    c.drawCentredString(centre, height - 86 * mm, name_ka)
    if credential.recipient_name_latin and credential.recipient_name_latin != name_ka:
        c.setFont("CertSans", 16)
        c.drawCentredString(centre, height - 95 * mm, credential.recipient_name_latin)

    c.setFont("CertSans", 12)
    c.drawCentredString(centre, height - 108 * mm, f"{TEXT['for_ka']} · {TEXT['for_en']}")
    size = _fit(c, achievement.name_ka, "CertSans-Bold", 20, usable)
    c.setFont("CertSans-Bold", size)
    c.drawCentredString(centre, height - 119 * mm, achievement.name_ka)
    if achievement.name_en and achievement.name_en != achievement.name_ka:
        c.setFont("CertSans", 14)
        c.drawCentredString(centre, height - 127 * mm, achievement.name_en[:120])

    c.setFont("CertSans", 11)
    dates = f"{TEXT['issued_ka']}: {date_ka(credential.issued_at)} · {TEXT['issued_en']}: {date_en(credential.issued_at)}"
    c.drawCentredString(centre, height - 142 * mm, dates)
    if credential.valid_until:
        until = (
            f"{TEXT['valid_until_ka']}: {date_ka(credential.valid_until)} · "
            f"{TEXT['valid_until_en']}: {date_en(credential.valid_until)}"
        )
        c.drawCentredString(centre, height - 149 * mm, until)

    url = formats.verification_url(credential)
    qr = ImageReader(io.BytesIO(qr_png(url)))
    qr_size = 32 * mm
    c.drawImage(qr, width - 20 * mm - qr_size, 20 * mm, qr_size, qr_size)
    c.setFont("CertSans", 9)
    c.drawString(22 * mm, 30 * mm, f"{TEXT['verify_ka']} · {TEXT['verify_en']}:")
    c.drawString(22 * mm, 25 * mm, formats.short_url(credential))
    c.setFont("CertSans-Bold", 11)
    c.drawString(
        22 * mm,
        19 * mm,
        f"{TEXT['code_ka']} · {TEXT['code_en']}: {formats.format_code(credential.short_code)}",
    )
    c.setTitle(f"{achievement.name_ka} — {name_ka}")
    c.setAuthor(issuer.name_ka)


def certificates_pdf(credentials, issuer, *, progress=None) -> bytes:
    """A PDF with one certificate per page. ``progress(n)`` is called after each page."""
    _register_fonts()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=PAGE, pageCompression=1)
    c.setCreator("civichub")
    for n, credential in enumerate(credentials, start=1):
        draw_certificate(c, credential, issuer)
        c.showPage()
        if progress:
            progress(n)
    c.save()
    return out.getvalue()


def certificate_pdf(credential, issuer) -> bytes:
    return certificates_pdf([credential], issuer)


# --- baked PNG ----------------------------------------------------------------------------------------


def _font(size: int, bold: bool = False):
    return ImageFont.truetype(str(FONT_BOLD if bold else FONT_REGULAR), size)


def _wrap(draw, text: str, font, max_width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= max_width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines[:4]


def badge_image(credential) -> bytes:
    size = 600
    image = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    ink, accent = (28, 43, 74), (181, 41, 46)
    draw.ellipse((20, 20, size - 20, size - 20), outline=ink, width=10)
    draw.ellipse((45, 45, size - 45, size - 45), outline=accent, width=3)
    title = _font(38, bold=True)
    draw.text((size / 2, 150), "სერტიფიკატი", font=title, fill=accent, anchor="mm")
    body = _font(28, bold=True)
    y = 240
    for line in _wrap(draw, credential.achievement.name_ka, body, 420):
        draw.text((size / 2, y), line, font=body, fill=ink, anchor="mm")
        y += 38
    small = _font(20)
    draw.text((size / 2, 470), "civichub", font=small, fill=ink, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def bake_png(png: bytes, token: str) -> bytes:
    """The PNG with the VC-JWT in an uncompressed iTXt chunk ``openbadgecredential`` (Open Badges baking)."""
    info = PngInfo()
    info.add_itxt(PNG_KEYWORD, token)
    out = io.BytesIO()
    with Image.open(io.BytesIO(png)) as image:
        image.save(out, format="PNG", pnginfo=info, optimize=True)
    return out.getvalue()


def baked_badge(credential) -> bytes:
    return bake_png(badge_image(credential), credential.token)


def linkedin_url(credential, issuer) -> str:
    issued = credential.issued_at.astimezone(_tz())
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": credential.achievement.name_en or credential.achievement.name_ka,
        "organizationName": issuer.name_en or issuer.name_ka,
        "issueYear": issued.year,
        "issueMonth": issued.month,
        "certUrl": formats.verification_url(credential),
        "certId": formats.format_code(credential.short_code),
    }
    if credential.valid_until:
        until = credential.valid_until.astimezone(_tz())
        params.update({"expirationYear": until.year, "expirationMonth": until.month})
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


def register_pdf_fonts() -> tuple[str, str]:
    """Register the Georgian-capable DejaVu Sans with ReportLab (once) and return (regular, bold) font names.

    For other apps' PDFs (awards' offer agreements), through ``credentials.api``.
    """
    _register_fonts()
    return "CertSans", "CertSans-Bold"
