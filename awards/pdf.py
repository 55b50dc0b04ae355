"""The offer agreement as a PDF: one document, Georgian first then English, with the call's terms, the amount, the
parties, the reference number and a place for signatures (ReportLab with credentials' Georgian-capable font)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import override
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from credentials.api import register_pdf_fonts

PROGRAMME = {"ka": "პროგრამის გუნდი", "en": "The programme team"}

# Fixed wording of the agreement in each language (the document carries both whatever the reader's language).
TEXT = {
    "ka": {
        "title": "შეთანხმება",
        "reference": "ნომერი",
        "call": "კონკურსი",
        "application": "განაცხადი",
        "recipient": "მიმღები",
        "organisation": "ორგანიზაცია",
        "representative": "წარმომადგენელი",
        "programme": "პროგრამა",
        "amount": "თანხა",
        "currency": "ლარი",
        "no_amount": "თანხის გარეშე",
        "deadline": "პასუხის ვადა",
        "terms": "პირობები",
        "signatures": "ხელმოწერები",
        "for_recipient": "მიმღების სახელით",
        "for_programme": "პროგრამის სახელით",
        "name": "სახელი და გვარი",
        "signature": "ხელმოწერა",
        "date": "თარიღი",
    },
    "en": {
        "title": "Agreement",
        "reference": "Reference",
        "call": "Call",
        "application": "Application",
        "recipient": "Recipient",
        "organisation": "Organisation",
        "representative": "Represented by",
        "programme": "Programme",
        "amount": "Amount",
        "currency": "GEL",
        "no_amount": "No amount",
        "deadline": "Answer by",
        "terms": "Terms",
        "signatures": "Signatures",
        "for_recipient": "For the recipient",
        "for_programme": "For the programme",
        "name": "Name",
        "signature": "Signature",
        "date": "Date",
    },
}


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=24, spaceAfter=6 * mm),
        "heading": ParagraphStyle("heading", fontName=bold, fontSize=12, leading=16, spaceBefore=4 * mm),
        "body": ParagraphStyle("body", fontName=regular, fontSize=10, leading=14, spaceAfter=2 * mm),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=10, leading=13),
        "label": ParagraphStyle("label", fontName=bold, fontSize=10, leading=13),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _section(offer, lang: str, styles) -> list:
    words = TEXT[lang]
    application = offer.application
    call = application.call
    applicant = application.applicant
    title = call.title_ka if lang == "ka" else (call.title_en or call.title_ka)
    with override(lang):
        amount = (
            f"{number_format(offer.amount, 2, force_grouping=True)} {words['currency']}"
            if offer.amount is not None
            else words["no_amount"]
        )
        deadline = date_format(timezone.localtime(offer.response_deadline), "DATETIME_FORMAT")
    rows = [
        (words["reference"], offer.reference),
        (words["call"], title),
        (words["application"], application.reference or ""),
    ]
    if application.organisation_id:
        organisation = application.organisation
        name = organisation.name_ka if lang == "ka" else (organisation.name_en or organisation.name_ka)
        rows.append((words["organisation"], name))
        rows.append((words["representative"], applicant.name_in(lang)))
    else:
        rows.append((words["recipient"], applicant.name_in(lang)))
    rows += [
        (words["programme"], PROGRAMME[lang]),
        (words["amount"], amount),
        (words["deadline"], deadline),
    ]
    table = Table(
        [[_p(label, styles["label"]), _p(value, styles["cell"])] for label, value in rows],
        colWidths=[45 * mm, 120 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#999999"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    terms = offer.terms_ka if lang == "ka" else offer.terms_en
    signatures = Table(
        [
            [_p(words["for_recipient"], styles["label"]), _p(words["for_programme"], styles["label"])],
            [_p(f"{words['name']}: ____________________", styles["cell"])] * 2,
            [_p(f"{words['signature']}: ________________", styles["cell"])] * 2,
            [_p(f"{words['date']}: ____________________", styles["cell"])] * 2,
        ],
        colWidths=[82 * mm, 82 * mm],
        rowHeights=[8 * mm, 14 * mm, 14 * mm, 14 * mm],
    )
    flow: list = [_p(words["title"], styles["title"]), table, _p(words["terms"], styles["heading"])]
    flow += [_p(paragraph, styles["body"]) for paragraph in terms.split("\n") if paragraph.strip()]
    flow += [Spacer(1, 6 * mm), _p(words["signatures"], styles["heading"]), signatures]
    return flow


def agreement_pdf(offer) -> bytes:
    """The agreement in Georgian (first page or pages) and English (then), one PDF."""
    regular, bold = register_pdf_fonts()
    styles = _styles(regular, bold)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"{offer.reference}",
        author="civichub",
    )
    document.build([*_section(offer, "ka", styles), PageBreak(), *_section(offer, "en", styles)])
    return buffer.getvalue()
