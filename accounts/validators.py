"""Validators for what people type about themselves."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Letters of the Georgian Mkhedruli alphabet (U+10D0–U+10FF), plus separators found in names.
_GEORGIAN_NAME = re.compile(r"^[\u10D0-\u10FF]+(?:[ \-'’.][\u10D0-\u10FF]+)*\.?$")
_LATIN_NAME = re.compile(r"^[A-Za-z\u00C0-\u024F]+(?:[ \-'’.][A-Za-z\u00C0-\u024F]+)*\.?$")


def reject_control_characters(value: str) -> None:
    """Refuse invisible control and formatting characters (they break display, search and PDFs)."""
    for char in value:
        if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"} and char not in "\n\r\t":
            raise ValidationError(
                _("Remove the invisible control character (code %(code)s) from this text."),
                code="control_character",
                params={"code": f"U+{ord(char):04X}"},
            )


def validate_single_line(value: str) -> None:
    if "\n" in value or "\r" in value or "\t" in value:
        raise ValidationError(_("Write this on a single line."), code="multiline")
    reject_control_characters(value)


def validate_georgian_name(value: str) -> None:
    validate_single_line(value)
    if not _GEORGIAN_NAME.match(" ".join(value.split())):
        raise ValidationError(
            _("Write your name in Georgian letters, for example: ნინო ბერიძე."), code="not_georgian"
        )


def validate_latin_name(value: str) -> None:
    validate_single_line(value)
    if not _LATIN_NAME.match(" ".join(value.split())):
        raise ValidationError(
            _("Write your name in Latin letters, for example: Nino Beridze."), code="not_latin"
        )


def validate_phone(value: str) -> None:
    digits = re.sub(r"[\s\-()]", "", value)
    if not re.fullmatch(r"\+?\d{6,15}", digits):
        raise ValidationError(_("Enter a phone number such as +995 555 12 34 56."), code="phone")
