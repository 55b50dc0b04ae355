"""The application-form engine: read answers from a POST, check them for submission, compute budgets,
and present them (blind or not).

Answers are stored in ``Application.data`` as ``{field key: value}``:
text kinds, number, money, date (ISO), choice and yes/no ("yes"/"no") are strings; multiple choice is a
list of strings; a file is the ``Attachment`` pk; a budget is a list of ``{"item", "qty", "unit"}`` strings.
Drafts keep whatever was typed (even invalid), so nothing is lost; :func:`validate` decides at submission.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.api import reject_control_characters
from calls.models import FieldKind, FormField

MAX_TEXT = 20_000
MAX_SHORT = 500
BUDGET_ROWS_MAX = 40
BUDGET_BLANK_ROWS = 3
CENT = Decimal("0.01")


def plain(number: Decimal) -> str:
    """A decimal without trailing zeros: 60 rather than 60.00, 1500.5 rather than 1500.50."""
    text = f"{number.normalize():f}"
    return text


def _clip(value: str, limit: int) -> str:
    return value.replace("\x00", "")[:limit]


def read_post(fields, post, *, editable: set[str] | None = None) -> dict:
    """The answers in ``post`` for ``fields`` (files excluded), as typed. ``editable`` limits the keys read."""
    data = {}
    for field in fields:
        if field.kind == FieldKind.FILE or (editable is not None and field.key not in editable):
            continue
        name = f"f_{field.key}"
        if field.kind == FieldKind.MULTIPLE:
            data[field.key] = [_clip(v, 20) for v in post.getlist(name)][:50]
        elif field.kind == FieldKind.BUDGET:
            rows = []
            for i in range(BUDGET_ROWS_MAX):
                row = {
                    part: _clip(post.get(f"{name}-{i}-{part}", "").strip(), MAX_SHORT)
                    for part in ("item", "qty", "unit")
                }
                if any(row.values()):
                    rows.append(row)
            data[field.key] = rows
        elif field.kind in (FieldKind.YES_NO, FieldKind.CHOICE):
            data[field.key] = _clip(post.get(name, ""), 20)
        else:
            limit = MAX_TEXT if field.kind == FieldKind.LONG_TEXT else MAX_SHORT
            data[field.key] = _clip(post.get(name, ""), limit)
    return data


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@dataclass
class BudgetLine:
    item: str
    qty: str
    unit: str
    total: Decimal | None


def budget_lines(value) -> list[BudgetLine]:
    lines = []
    for row in value if isinstance(value, list) else []:
        qty, unit = _decimal(row.get("qty", "")), _decimal(row.get("unit", ""))
        total = (qty * unit).quantize(CENT, ROUND_HALF_UP) if qty is not None and unit is not None else None
        lines.append(BudgetLine(row.get("item", ""), row.get("qty", ""), row.get("unit", ""), total))
    return lines


def budget_total(value) -> Decimal:
    return sum((line.total for line in budget_lines(value) if line.total is not None), Decimal("0.00"))


def is_empty(value) -> bool:
    return value in (None, "", [], {})


def validate_field(field: FormField, value, *, call, attachment_ids: set[int]) -> list[str]:
    """Messages for one answer at submission (empty when fine)."""
    if is_empty(value):
        return [_("This question needs an answer.")] if field.required else []
    errors: list[str] = []
    kind = field.kind
    if isinstance(value, str):
        try:
            reject_control_characters(value)
        except ValidationError as error:
            return [str(m) for m in error.messages]
    if kind == FieldKind.LONG_TEXT and field.word_limit:
        words = len(value.split())
        if words > field.word_limit:
            errors.append(
                _("Shorten this answer to %(limit)s words (it has %(count)s).")
                % {"limit": field.word_limit, "count": words}
            )
    elif kind == FieldKind.SHORT_TEXT and "\n" in value:
        errors.append(_("Write this on a single line."))
    elif kind in (FieldKind.NUMBER, FieldKind.MONEY):
        number = _decimal(value)
        if number is None:
            errors.append(_("Enter a number, for example 1500 or 1500.50."))
        else:
            if kind == FieldKind.NUMBER and number != number.to_integral_value():
                errors.append(_("Enter a whole number."))
            if kind == FieldKind.MONEY and number.as_tuple().exponent < -2:
                errors.append(_("Use at most two digits after the decimal point."))
            if field.min_value is not None and number < field.min_value:
                errors.append(_("Enter %(min)s or more.") % {"min": plain(field.min_value)})
            if field.max_value is not None and number > field.max_value:
                errors.append(_("Enter %(max)s or less.") % {"max": plain(field.max_value)})
    elif kind == FieldKind.DATE:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            errors.append(_("Enter a date as YYYY-MM-DD."))
    elif kind == FieldKind.CHOICE:
        if value not in {v for v, _label in field.choice_list()}:
            errors.append(_("Choose one of the options."))
    elif kind == FieldKind.MULTIPLE:
        allowed = {v for v, _label in field.choice_list()}
        if not isinstance(value, list) or not set(value) <= allowed:
            errors.append(_("Choose from the options."))
    elif kind == FieldKind.YES_NO:
        if value not in ("yes", "no"):
            errors.append(_("Answer yes or no."))
    elif kind == FieldKind.URL:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            errors.append(_("Enter a full web address starting with https://."))
    elif kind == FieldKind.EMAIL:
        try:
            EmailValidator()(value)
        except ValidationError:
            errors.append(_("Enter a valid email address."))
    elif kind == FieldKind.FILE:
        if not (isinstance(value, int) and value in attachment_ids):
            errors.append(_("Upload the file again."))
    elif kind == FieldKind.BUDGET:
        errors.extend(_validate_budget(value, call=call))
    return errors


def _validate_budget(value, *, call) -> list[str]:
    errors = []
    for number, line in enumerate(budget_lines(value), start=1):
        qty, unit = _decimal(line.qty), _decimal(line.unit)
        if not line.item:
            errors.append(_("Line %(n)s: describe the item.") % {"n": number})
        if qty is None or qty <= 0:
            errors.append(_("Line %(n)s: the quantity must be a number above zero.") % {"n": number})
        if unit is None or unit < 0:
            errors.append(_("Line %(n)s: the unit cost must be a number, zero or more.") % {"n": number})
    total = budget_total(value)
    if not errors and call.budget_max is not None and total > call.budget_max:
        errors.append(
            _("The total (%(total)s GEL) is above this call's maximum of %(max)s GEL.")
            % {"total": number_format(total, 2), "max": number_format(call.budget_max, 2)}
        )
    return errors


def validate(fields, data: dict, *, call, attachment_ids: set[int]) -> dict[str, list[str]]:
    errors = {}
    for field in fields:
        messages = validate_field(field, data.get(field.key), call=call, attachment_ids=attachment_ids)
        if messages:
            errors[field.key] = messages
    return errors


@dataclass
class Answer:
    field: FormField
    value: object
    text: str
    attachment: object = None
    lines: list | None = None
    total: Decimal | None = None
    hidden: bool = False


def display(field: FormField, value, attachments: dict[int, object]) -> Answer:
    """A human-readable answer."""
    answer = Answer(field=field, value=value, text="")
    if is_empty(value):
        return answer
    if field.kind == FieldKind.CHOICE:
        answer.text = dict(field.choice_list()).get(value, str(value))
    elif field.kind == FieldKind.MULTIPLE:
        labels = dict(field.choice_list())
        answer.text = ", ".join(labels.get(v, v) for v in value)
    elif field.kind == FieldKind.YES_NO:
        answer.text = _("Yes") if value == "yes" else _("No")
    elif field.kind == FieldKind.FILE:
        answer.attachment = attachments.get(value)
    elif field.kind == FieldKind.BUDGET:
        answer.lines = budget_lines(value)
        answer.total = budget_total(value)
        answer.text = (
            "; ".join(f"{ln.item} × {ln.qty} × {ln.unit}" for ln in answer.lines) + f" = {answer.total}"
        )
    else:
        answer.text = str(value)
    return answer


def present(fields, data: dict, attachments, *, blind: bool = False) -> list[Answer]:
    """Every field with its answer; in blind mode fields marked as identifying are hidden."""
    by_pk = {a.pk: a for a in attachments}
    result = []
    for field in fields:
        answer = display(field, data.get(field.key), by_pk)
        if blind and field.hidden_in_blind_review:
            answer = Answer(field=field, value=None, text="", hidden=True)
        result.append(answer)
    return result


def as_text(answer: Answer) -> str:
    """One answer as plain text for exports and diffs."""
    if answer.attachment is not None:
        return answer.attachment.original_name
    return answer.text


def diff(fields, old: dict, new: dict, attachments) -> list[tuple[FormField, str, str]]:
    """(field, before, after) for every answer that changed between two versions."""
    by_pk = {a.pk: a for a in attachments}
    changes = []
    for field in fields:
        if old.get(field.key) != new.get(field.key):
            changes.append(
                (
                    field,
                    as_text(display(field, old.get(field.key), by_pk)),
                    as_text(display(field, new.get(field.key), by_pk)),
                )
            )
    return changes
