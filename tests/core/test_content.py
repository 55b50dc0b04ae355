"""Markdown sanitising, upload validation and word-prefix search: the shared pieces every domain uses."""

import io
import zipfile
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Organisation
from core.markdown import render_markdown
from core.search import filter_prefix, normalise, terms
from core.uploads import safe_filename, validate_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<svg onload=alert(1)>",
        "<a href='javascript:alert(1)'>x</a>",
        "![x](javascript:alert(1))",
        "<iframe src=//evil.example></iframe>",
        "<<script>script>alert(1)<</script>/script>",
        "[a](vbscript:msgbox)",
        "<details open ontoggle=alert(1)>",
    ],
)
def test_markdown_never_lets_script_or_dangerous_urls_through(payload):
    assert dangerous_parts(str(render_markdown(payload))) == []


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "iframe", "svg", "object", "embed", "style", "details", "form", "input"}:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            if name in {"href", "src"} and (value or "").strip().lower().split(":")[0] not in {
                "http",
                "https",
                "mailto",
            }:
                self.found.append(f"{tag}[{name}={value}]")


def dangerous_parts(html: str) -> list[str]:
    """Elements, handlers and URLs that could run script, found by parsing the HTML (not by grepping text)."""
    inspector = _Inspector()
    inspector.feed(html)
    return inspector.found


def test_markdown_keeps_useful_formatting_and_georgian():
    html = str(
        render_markdown(
            "## სათაური\n\n**მნიშვნელოვანი** [ბმული](https://example.ge)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
        )
    )
    assert "<h2>სათაური</h2>" in html
    assert "<strong>მნიშვნელოვანი</strong>" in html
    assert '<a href="https://example.ge" rel="noopener noreferrer">ბმული</a>' in html
    assert "<table>" in html


def test_links_can_be_nofollow():
    assert 'rel="nofollow ugc noopener noreferrer"' in str(
        render_markdown("[x](https://spam.example)", nofollow=True)
    )


@given(st.text(max_size=300))
def test_markdown_renders_any_text_without_error_or_script(text):
    assert dangerous_parts(str(render_markdown(text))) == []


def upload(name, content):
    return SimpleUploadedFile(name, content)


def test_a_real_pdf_is_accepted():
    assert validate_upload(upload("budget.pdf", PDF)) == "pdf"


def test_a_docx_is_recognised_by_its_content():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert validate_upload(upload("plan.docx", buffer.getvalue())) == "docx"


def test_an_executable_renamed_to_pdf_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("cv.pdf", b"MZ\x90\x00" + b"\x00" * 100))
    assert error.value.code == "bad_type"


def test_a_png_named_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("scan.pdf", PNG))
    assert error.value.code == "extension_mismatch"


def test_oversized_and_empty_files_are_refused(settings):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("big.pdf", PDF + b"0" * 2048), max_bytes=1024)
    assert error.value.code == "too_large"
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("empty.pdf", b""))
    assert error.value.code == "empty"


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "a\x00b.pdf", "bad\x07name.pdf"])
def test_path_traversal_and_control_character_names_are_refused(name):
    with pytest.raises(ValidationError) as error:
        validate_upload(_named(name, PDF))
    assert error.value.code == "bad_name"


def _named(name, content):
    file = SimpleUploadedFile("placeholder.pdf", content)
    file.name = name  # Django's own setter strips folders; an attacker's raw name may still arrive this way
    file._name = name
    return file


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("ბიუჯეტი 2026.PDF", "ბიუჯეტი 2026.pdf"),
        ("../../x.pdf", "x.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("a<b>:c.pdf", "a_b__c.pdf"),
    ],
)
def test_safe_filename(raw, safe):
    assert safe_filename(raw) == safe


def test_normalise_folds_case_and_punctuation_in_georgian_and_latin():
    assert normalise("საჯარო ფინანსები!", "Public FINANCE") == " საჯარო ფინანსები public finance "
    assert terms("  ბიუჯ,  ფინ ") == ["ბიუჯ", "ფინ"]


@pytest.mark.django_db
def test_prefix_search_finds_georgian_words_by_their_beginning(admin_org):
    # Organisation has no search column; use a queryset of values through annotate-free filtering on name.
    from django.db.models import Value
    from django.db.models.functions import Concat

    qs = Organisation.objects.annotate(search=Concat(Value(" "), "name_ka", Value(" ")))
    assert list(filter_prefix(qs, "ბიუჯ", field="search")) == [admin_org]
    assert list(filter_prefix(qs, "კახ მონიტ", field="search")) == [admin_org]
    assert list(filter_prefix(qs, "იუჯეტ", field="search")) == []
