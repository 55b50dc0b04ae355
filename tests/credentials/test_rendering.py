"""The PDF (Georgian text, font coverage, QR code), the baked PNG, and the LinkedIn link."""

import io
import struct
import zlib
from urllib.parse import parse_qs, urlparse

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFontFile

from credentials import formats, rendering, verification


def test_pdf_is_a4_landscape_and_contains_the_georgian_name_exactly(credential, client):
    response = client.get(f"/ob/credentials/{credential.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)
    text = page.extract_text()
    assert "ნინო ბერიძე" in text
    assert "Nino Beridze" in text
    assert "საჯარო პოლიტიკის ანალიზი" in text
    assert "სერტიფიკატი" in text and "Certificate" in text
    assert formats.format_code(credential.short_code) in text
    fonts = page["/Resources"]["/Font"]
    assert any(
        "/FontFile2" in fonts[name].get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        if "/DescendantFonts" in fonts[name].get_object()
        else "/FontFile2" in fonts[name].get_object().get("/FontDescriptor", {})
        for name in fonts
    )  # the TrueType font is embedded


def test_font_covers_every_georgian_letter_used(credential):
    cmap = TTFontFile(str(rendering.FONT_REGULAR)).charToGlyph
    bold = TTFontFile(str(rendering.FONT_BOLD)).charToGlyph
    texts = (
        list(rendering.TEXT.values())
        + rendering.GEORGIAN_MONTHS
        + [
            credential.recipient_name_ka,
            credential.achievement.name_ka,
            "-მდე",
        ]
    )
    used = {ord(c) for text in texts for c in text}
    mkhedruli = set(range(0x10D0, 0x10FB))  # every modern Georgian letter, ა to ჺ
    for table in (cmap, bold):
        assert sorted(c for c in used | mkhedruli if c not in table and not chr(c).isspace()) == []


def test_qr_code_in_the_pdf_decodes_to_the_verification_url(credential, client):
    reader = PdfReader(io.BytesIO(client.get(f"/ob/credentials/{credential.pk}.pdf").content))
    images = list(reader.pages[0].images)
    assert images, "the QR code image is in the PDF"
    image = Image.open(io.BytesIO(images[0].data)).convert("L")
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results] == [formats.verification_url(credential)]
    assert formats.verification_url(credential).endswith(f"/credentials/c/{credential.pk}/")


def test_ceremony_pdf_has_one_page_per_certificate(credential, other_learner, achievement, issuer):
    from credentials import services

    second, _ = services.issue_credential(user=other_learner, achievement=achievement)
    seen = []
    pdf = rendering.certificates_pdf([credential, second], issuer, progress=seen.append)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert "გიორგი კაპანაძე" in reader.pages[1].extract_text()
    assert seen == [1, 2]


def test_baked_png_carries_the_jwt_in_an_itxt_chunk(credential, client):
    png = client.get(f"/ob/credentials/{credential.pk}.png").content
    Image.open(io.BytesIO(png)).verify()  # still a valid PNG
    assert Image.open(io.BytesIO(png)).text["openbadgecredential"] == credential.token
    assert verification.token_from_png(png) == credential.token


def test_a_badge_baked_with_the_chunk_after_the_image_data_is_read_too(credential):
    """Badges downloaded before (and other bakers) put the iTXt chunk just before IEND."""
    png = rendering.badge_image(credential)
    body = b"openbadgecredential\0\0\0\0\0" + credential.token.encode()
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    end = png.rindex(b"IEND") - 4
    baked = png[:end] + chunk + png[end:]

    assert verification.token_from_png(baked) == credential.token


def test_linkedin_link_prefills_the_certification(credential, issuer):
    url = urlparse(rendering.linkedin_url(credential, issuer))
    query = parse_qs(url.query)
    assert url.netloc == "www.linkedin.com" and url.path == "/profile/add"
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == ["Public policy analysis"]
    assert query["certUrl"] == [formats.verification_url(credential)]
    assert query["certId"] == [formats.format_code(credential.short_code)]


@pytest.mark.parametrize("moment, expected", [("2026-03-01T12:00:00+04:00", "1 მარტი 2026")])
def test_georgian_dates(moment, expected):
    from datetime import datetime

    assert rendering.date_ka(datetime.fromisoformat(moment)) == expected
