"""The application-form engine: one factory builds a Django ``forms.Form`` from a call's ``FormField`` rows.

The same form serves the draft page (unbound, showing what is stored), autosave and the "save draft" button
(bound to the POST; :meth:`AnswerForm.typed` reads what was typed, valid or not), submission and resubmission
(bound to the stored answers; ``is_valid()`` decides), and the staff diff and the (blind) presentation
(:meth:`AnswerField.present`). Django renders the widgets, the errors, ``aria-invalid`` and ``aria-describedby``
through ``calls/forms/answers.html`` and ``calls/forms/field.html``.

Answers are stored in ``Application.data`` as ``{field key: value}``: text kinds, number, money, date (ISO),
choice and yes/no ("yes"/"no") are strings; multiple choice is a list of strings; a file is the
``Attachment`` pk; a budget is a list of ``{"item", "qty", "unit"}`` strings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.api import reject_control_characters
from calls.models import FieldKind, FormField

MAX_TEXT = 20_000
MAX_SHORT = 500
MAX_CHOICE = 20
MAX_NUMBER_TEXT = 30
BUDGET_ROWS_MAX = 40
BUDGET_BLANK_ROWS = 3
CENT = Decimal("0.01")
# Every number a person can type is bounded: amounts below a trillion, at most two decimals, no exponents.
# A value beyond the bound is refused with a message at submission, and a stored one that slipped through
# is shown as typed, never computed with (so no page can fail on it).
NUMBER_LIMIT = Decimal("1000000000000")
FIELD_PREFIX = "f_"


def plain(number: Decimal) -> str:
    """A decimal without trailing zeros: 60 rather than 60.00, 1500.5 rather than 1500.50."""
    return f"{number.normalize():f}"


def parse_number(value) -> Decimal | None:
    """``value`` as a bounded decimal (comma or point, spaces allowed), or None when it is not one."""
    text = str(value if value is not None else "").strip()
    text = text.replace(",", ".").replace(" ", "").replace("\u00a0", "")
    if not text or len(text) > MAX_NUMBER_TEXT or any(c not in "0123456789.+-" for c in text):
        return None  # also refuses exponents ("1e20"), "NaN" and "Infinity"
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
        return None
    return number


def too_big(value) -> bool:
    """True when ``value`` looks like a number but is beyond the bound (for a clearer message)."""
    text = str(value or "").strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return False
    return not number.is_finite() or abs(number) >= NUMBER_LIMIT or len(text) > MAX_NUMBER_TEXT


def _limit_message() -> str:
    return _("Enter a number smaller than %(limit)s.") % {
        "limit": number_format(NUMBER_LIMIT, 0, force_grouping=True)
    }


def _clip(value, limit: int) -> str:
    return str(value if value is not None else "").replace("\x00", "")[:limit]


def is_empty(value) -> bool:
    return value in (None, "", [], {})


@dataclass
class BudgetLine:
    item: str
    qty: str
    unit: str
    total: Decimal | None


def budget_lines(value) -> list[BudgetLine]:
    """Stored budget rows with their totals; a row whose numbers are not bounded numbers has no total."""
    lines = []
    for row in value if isinstance(value, list) else []:
        if not isinstance(row, dict):
            continue
        item, qty_text, unit_text = (str(row.get(part, "")) for part in ("item", "qty", "unit"))
        qty, unit = parse_number(qty_text), parse_number(unit_text)
        total = (qty * unit).quantize(CENT, ROUND_HALF_UP) if qty is not None and unit is not None else None
        lines.append(BudgetLine(item, qty_text, unit_text, total))
    return lines


def budget_total(value) -> Decimal:
    return sum((line.total for line in budget_lines(value) if line.total is not None), Decimal("0.00"))


@dataclass
class Answer:
    """One answer as people read it."""

    field: FormField
    value: object
    text: str
    attachment: Any = None
    lines: list | None = None
    total: Decimal | None = None
    hidden: bool = False


# --- widgets ----------------------------------------------------------------------------------------


class BudgetWidget(forms.Widget):
    """The budget table: rows of item, quantity and unit cost posted as ``<name>-<i>-<part>``, with each line's
    total, the grand total and the call's maximum."""

    template_name = "calls/widgets/budget.html"
    use_fieldset = True

    def __init__(self, *args, budget_max=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.budget_max = budget_max

    def value_from_datadict(self, data, files, name):
        rows = []
        for i in range(BUDGET_ROWS_MAX):
            row = {
                part: _clip(data.get(f"{name}-{i}-{part}", ""), MAX_SHORT).strip()
                for part in ("item", "qty", "unit")
            }
            if any(row.values()):
                rows.append(row)
        return rows

    def value_omitted_from_data(self, data, files, name):
        return not any(key.startswith(f"{name}-") for key in data)

    def format_value(self, value):
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        lines = budget_lines(value)
        blanks = [BudgetLine("", "", "", None)] * BUDGET_BLANK_ROWS
        context["widget"].update(
            key=name.removeprefix(FIELD_PREFIX),
            invalid=bool(context["widget"]["attrs"].get("aria-invalid")),
            lines=(lines + blanks)[:BUDGET_ROWS_MAX],
            total=budget_total(value),
            budget_max=self.budget_max,
        )
        return context


class AttachmentInput(forms.FileInput):
    """A file input that shows the stored file (name, size, link) with a remove action."""

    template_name = "calls/widgets/attachment.html"

    def __init__(self, *args, attachments=None, url=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.attachments = attachments or {}
        self.url = url

    def value_from_datadict(self, data, files, name):
        upload = files.get(name)
        return upload if upload else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in files and name not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        stored = self.attachments.get(value) if isinstance(value, int) else None
        context["widget"].update(
            attachment=stored,
            url=self.url(stored) if stored is not None and self.url else "",
            remove_name=f"{name}-remove",
        )
        return context


# --- fields -----------------------------------------------------------------------------------------


class AnswerField:
    """What every answer field adds to its Django field: the stored row, what a draft keeps, how it reads."""

    row: FormField

    def typed(self, value):
        """What was typed, clipped to a safe size, to be kept in a draft whatever it is."""
        return _clip(value, MAX_SHORT)

    def present(self, value, attachments) -> Answer:
        answer = Answer(field=self.row, value=value, text="")
        if not is_empty(value):
            answer.text = str(value)
        return answer


class TextAnswer(AnswerField, forms.CharField):
    def __init__(self, *, row: FormField, long: bool, **kwargs):
        self.row, self.long = row, long
        widget = forms.Textarea(attrs={"rows": 6}) if long else forms.TextInput
        super().__init__(
            max_length=MAX_TEXT if long else MAX_SHORT,
            widget=widget,
            validators=[reject_control_characters],
            **kwargs,
        )

    def typed(self, value):
        return _clip(value, MAX_TEXT if self.long else MAX_SHORT)

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        if self.long and self.row.word_limit:
            words = len(value.split())
            if words > self.row.word_limit:
                raise ValidationError(
                    _("Shorten this answer to %(limit)s words (it has %(count)s).")
                    % {"limit": self.row.word_limit, "count": words}
                )
        if not self.long and "\n" in value:
            raise ValidationError(_("Write this on a single line."))


class NumberAnswer(AnswerField, forms.CharField):
    """A number or a money amount, kept as typed; bounded, whole for numbers, two decimals for money."""

    def __init__(self, *, row: FormField, **kwargs):
        self.row = row
        super().__init__(
            max_length=MAX_NUMBER_TEXT,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            validators=[reject_control_characters],
            **kwargs,
        )

    def typed(self, value):
        return _clip(value, MAX_SHORT)

    def to_python(self, value):
        return _clip(value, MAX_SHORT).strip()

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        number = parse_number(value)
        if number is None:
            raise ValidationError(
                _limit_message() if too_big(value) else _("Enter a number, for example 1500 or 1500.50.")
            )
        errors = []
        row = self.row
        if row.kind == FieldKind.NUMBER and number != number.to_integral_value():
            errors.append(_("Enter a whole number."))
        if row.kind == FieldKind.MONEY and number.as_tuple().exponent < -2:
            errors.append(_("Use at most two digits after the decimal point."))
        if row.min_value is not None and number < row.min_value:
            errors.append(_("Enter %(min)s or more.") % {"min": plain(row.min_value)})
        if row.max_value is not None and number > row.max_value:
            errors.append(_("Enter %(max)s or less.") % {"max": plain(row.max_value)})
        if errors:
            raise ValidationError(errors)


class DateAnswer(AnswerField, forms.CharField):
    def __init__(self, *, row: FormField, **kwargs):
        self.row = row
        super().__init__(max_length=MAX_CHOICE, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)

    def validate(self, value):
        super().validate(value)
        if value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from None


class ChoiceAnswer(AnswerField, forms.ChoiceField):
    def __init__(self, *, row: FormField, choices, invalid: str, **kwargs):
        self.row, self.labels = row, dict(choices)
        super().__init__(choices=choices, widget=forms.RadioSelect, **kwargs)
        self.error_messages["invalid_choice"] = invalid

    def typed(self, value):
        return _clip(value, MAX_CHOICE)

    def present(self, value, attachments) -> Answer:
        answer = super().present(value, attachments)
        if not is_empty(value):
            answer.text = str(self.labels.get(value, value))
        return answer


class MultipleAnswer(AnswerField, forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, row: FormField, **kwargs):
        self.row = row
        choices = row.choice_list()
        self.labels = dict(choices)
        super().__init__(choices=choices, **kwargs)
        self.error_messages["invalid_choice"] = gettext_lazy("Choose from the options.")
        self.error_messages["invalid_list"] = gettext_lazy("Choose from the options.")

    def typed(self, value):
        values = value if isinstance(value, list | tuple) else ([] if is_empty(value) else [value])
        return [_clip(v, MAX_CHOICE) for v in values][:50]

    def present(self, value, attachments) -> Answer:
        answer = Answer(field=self.row, value=value, text="")
        if isinstance(value, list) and value:
            answer.text = ", ".join(str(self.labels.get(v, v)) for v in value)
        return answer


class ValidatedTextAnswer(AnswerField, forms.CharField):
    """A web or email address: the browser's own input type, our message."""

    def __init__(self, *, row: FormField, widget, validator, **kwargs):
        self.row = row
        super().__init__(
            max_length=MAX_SHORT, widget=widget, validators=[reject_control_characters, validator], **kwargs
        )


class AttachmentAnswer(AnswerField, forms.Field):
    """A file: uploads are stored by the draft save; at submission the answer must name a kept file."""

    def __init__(self, *, row: FormField, attachments: dict, url=None, **kwargs):
        self.row, self.attachments = row, attachments
        kinds = ", ".join(row.kinds())
        super().__init__(widget=AttachmentInput(attachments=attachments, url=url), **kwargs)
        self.help_text = " · ".join(
            t
            for t in (
                str(self.help_text or ""),
                _("Allowed: %(kinds)s; up to %(mb)s MB.") % {"kinds": kinds, "mb": row.max_file_mb},
            )
            if t
        )

    def to_python(self, value):
        if isinstance(value, str) and value.isdigit():
            return int(value)
        return value

    def validate(self, value):
        super().validate(value)
        if not is_empty(value) and not (isinstance(value, int) and value in self.attachments):
            raise ValidationError(_("Upload the file again."))

    def present(self, value, attachments) -> Answer:
        answer = Answer(field=self.row, value=value, text="")
        if not is_empty(value):
            answer.attachment = attachments.get(value)
        return answer


class BudgetAnswer(AnswerField, forms.Field):
    def __init__(self, *, row: FormField, budget_max=None, **kwargs):
        self.row, self.budget_max = row, budget_max
        super().__init__(widget=BudgetWidget(budget_max=budget_max), **kwargs)

    def typed(self, value):
        return value if isinstance(value, list) else []

    def validate(self, value):
        super().validate(value)
        errors = []
        for number, line in enumerate(budget_lines(value), start=1):
            qty, unit = parse_number(line.qty), parse_number(line.unit)
            if not line.item:
                errors.append(_("Line %(n)s: describe the item.") % {"n": number})
            if too_big(line.qty) or too_big(line.unit):
                errors.append(
                    _("Line %(n)s: enter numbers smaller than %(limit)s.")
                    % {"n": number, "limit": number_format(NUMBER_LIMIT, 0, force_grouping=True)}
                )
                continue
            if qty is None or qty <= 0:
                errors.append(_("Line %(n)s: the quantity must be a number above zero.") % {"n": number})
            if unit is None or unit < 0:
                errors.append(_("Line %(n)s: the unit cost must be a number, zero or more.") % {"n": number})
        total = budget_total(value)
        if not errors and self.budget_max is not None and total > self.budget_max:
            errors.append(
                _("The total (%(total)s GEL) is above this call's maximum of %(max)s GEL.")
                % {"total": number_format(total, 2), "max": number_format(self.budget_max, 2)}
            )
        if errors:
            raise ValidationError(errors)

    def present(self, value, attachments) -> Answer:
        answer = Answer(field=self.row, value=value, text="")
        if is_empty(value):
            return answer
        answer.lines = budget_lines(value)
        answer.total = budget_total(value)
        answer.text = (
            "; ".join(f"{ln.item} × {ln.qty} × {ln.unit}" for ln in answer.lines) + f" = {answer.total}"
        )
        return answer


def answer_field(row: FormField, *, call, attachments: dict, url=None) -> forms.Field:
    """The Django field for one question."""
    help_parts = [row.help] if row.help else []
    if row.kind == FieldKind.LONG_TEXT and row.word_limit:
        help_parts.append(_("Up to %(n)s words.") % {"n": row.word_limit})
    if row.kind in (FieldKind.NUMBER, FieldKind.MONEY):
        if row.min_value is not None:
            help_parts.append(_("Minimum: %(value)s.") % {"value": plain(row.min_value)})
        if row.max_value is not None:
            help_parts.append(_("Maximum: %(value)s.") % {"value": plain(row.max_value)})
    common = {
        "label": row.label,
        "required": row.required,
        "help_text": " · ".join(help_parts),
        "error_messages": {"required": _("This question needs an answer.")},
    }
    kind = row.kind
    if kind in (FieldKind.SHORT_TEXT, FieldKind.LONG_TEXT):
        return TextAnswer(row=row, long=kind == FieldKind.LONG_TEXT, **common)
    if kind in (FieldKind.NUMBER, FieldKind.MONEY):
        return NumberAnswer(row=row, **common)
    if kind == FieldKind.DATE:
        return DateAnswer(row=row, **common)
    if kind == FieldKind.CHOICE:
        return ChoiceAnswer(
            row=row, choices=row.choice_list(), invalid=_("Choose one of the options."), **common
        )
    if kind == FieldKind.YES_NO:
        return ChoiceAnswer(
            row=row, choices=[("yes", _("Yes")), ("no", _("No"))], invalid=_("Answer yes or no."), **common
        )
    if kind == FieldKind.MULTIPLE:
        return MultipleAnswer(row=row, **common)
    if kind == FieldKind.URL:
        return ValidatedTextAnswer(
            row=row,
            widget=forms.URLInput,
            validator=URLValidator(
                schemes=["http", "https"], message=_("Enter a full web address starting with https://.")
            ),
            **common,
        )
    if kind == FieldKind.EMAIL:
        return ValidatedTextAnswer(
            row=row,
            widget=forms.EmailInput,
            validator=EmailValidator(message=_("Enter a valid email address.")),
            **common,
        )
    if kind == FieldKind.FILE:
        return AttachmentAnswer(row=row, attachments=attachments, url=url, **common)
    if kind == FieldKind.BUDGET:
        return BudgetAnswer(row=row, budget_max=call.budget_max if call is not None else None, **common)
    raise ValueError(f"unknown field kind {kind!r}")


class AnswerForm(forms.Form):
    """A call's application form. Field names are ``f_<key>``; ids are the names (``#f_motivation``)."""

    template_name = "calls/forms/answers.html"

    def __init__(self, *args, rows, call=None, attachments=(), editable=None, application=None, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        self.attachments = {a.pk: a for a in attachments}
        url = None
        if application is not None:
            pk = application.pk

            def url(attachment):
                return reverse("calls:attachment", args=[pk, attachment.pk])

        for row in self.rows:
            field = answer_field(row, call=call, attachments=self.attachments, url=url)
            field.template_name = "calls/forms/field.html"
            if editable is not None and row.key not in editable:
                field.disabled = True
            self.fields[FIELD_PREFIX + row.key] = field

    def answer_fields(self):
        """(key, field) for every question, in order."""
        return [(name[len(FIELD_PREFIX) :], field) for name, field in self.fields.items()]

    def typed(self) -> dict:
        """What was typed in every field that may be changed now (files excluded), valid or not."""
        values = {}
        for key, field in self.answer_fields():
            if field.disabled or isinstance(field, AttachmentAnswer):
                continue
            name = self[FIELD_PREFIX + key].html_name
            if field.widget.value_omitted_from_data(self.data, self.files, name):
                continue  # not sent (a partial save): leave the stored answer alone
            values[key] = field.typed(field.widget.value_from_datadict(self.data, self.files, name))
        return values

    def removals(self) -> set[str]:
        """Keys of file answers the person asked to remove (and did not replace)."""
        return {
            key
            for key, field in self.answer_fields()
            if isinstance(field, AttachmentAnswer)
            and not field.disabled
            and self.data.get(f"{FIELD_PREFIX}{key}-remove")
            and not self.files.get(FIELD_PREFIX + key)
        }

    def uploads(self) -> dict:
        """Files chosen in the form, by key, for fields that may be changed now."""
        return {
            key: self.files[FIELD_PREFIX + key]
            for key, field in self.answer_fields()
            if isinstance(field, AttachmentAnswer)
            and not field.disabled
            and self.files.get(FIELD_PREFIX + key)
        }

    def answer_errors(self) -> dict[str, list[str]]:
        """Messages by field key (the form must have been validated)."""
        return {
            name[len(FIELD_PREFIX) :]: [str(m) for m in errors]
            for name, errors in self.errors.items()
            if name.startswith(FIELD_PREFIX)
        }


def as_form_data(rows, answers: dict) -> dict:
    """Stored answers in the shape a POST of the form has, to bind the form to them."""
    data: dict = {}
    for row in rows:
        value = answers.get(row.key)
        name = FIELD_PREFIX + row.key
        if row.kind == FieldKind.BUDGET:
            for i, line in enumerate(value if isinstance(value, list) else []):
                if isinstance(line, dict):
                    for part in ("item", "qty", "unit"):
                        data[f"{name}-{i}-{part}"] = str(line.get(part, ""))
        elif row.kind == FieldKind.MULTIPLE:
            data[name] = [str(v) for v in value] if isinstance(value, list) else []
        elif value is not None:
            data[name] = value
    return data


def initial_of(rows, answers: dict) -> dict:
    return {FIELD_PREFIX + row.key: answers.get(row.key) for row in rows}


def draft_form(rows, answers: dict, *, call, attachments=(), editable=None, application=None) -> AnswerForm:
    """The unbound form showing what is stored (valid or not)."""
    return AnswerForm(
        rows=rows,
        call=call,
        attachments=attachments,
        editable=editable,
        application=application,
        initial=initial_of(rows, answers),
    )


def checked_form(rows, answers: dict, *, call, attachments=(), editable=None, application=None) -> AnswerForm:
    """The form bound to the stored answers, to validate them for submission and show the messages."""
    return AnswerForm(
        as_form_data(rows, answers),
        rows=rows,
        call=call,
        attachments=attachments,
        editable=editable,
        application=application,
    )


def validate(rows, answers: dict, *, call, attachments) -> dict[str, list[str]]:
    form = checked_form(rows, answers, call=call, attachments=attachments)
    form.is_valid()
    return form.answer_errors()


def present(rows, answers: dict, attachments, *, blind: bool = False) -> list[Answer]:
    """Every question with its answer; in blind mode questions marked as identifying are hidden."""
    form = AnswerForm(rows=rows, attachments=attachments)
    by_pk = form.attachments
    result = []
    for row, (_key, field) in zip(form.rows, form.answer_fields(), strict=True):
        if blind and row.hidden_in_blind_review:
            result.append(Answer(field=row, value=None, text="", hidden=True))
        else:
            result.append(field.present(answers.get(row.key), by_pk))
    return result


def as_text(answer: Answer) -> str:
    """One answer as plain text for exports and diffs."""
    if answer.attachment is not None:
        return answer.attachment.original_name
    return answer.text


def diff(rows, old: dict, new: dict, attachments) -> list[tuple[FormField, str, str]]:
    """(question, before, after) for every answer that changed between two versions."""
    before = present(rows, old, attachments)
    after = present(rows, new, attachments)
    return [
        (row, as_text(b), as_text(a))
        for row, b, a in zip(rows, before, after, strict=True)
        if old.get(row.key) != new.get(row.key)
    ]


# --- a questionnaire's questions (a form owner other than a call: events' registration questions) ----------


def questionnaire_form(
    rows, data=None, *, answers: dict | None = None, prefix: str | None = None
) -> AnswerForm:
    """The form of a questionnaire's rows: bound to ``data`` (a POST) to check it, else showing ``answers``.
    Questionnaires hold neither files nor budget tables (a constraint on the rows), so there is no call."""
    if data is not None:
        return AnswerForm(data, rows=rows, prefix=prefix)
    return AnswerForm(rows=rows, initial=initial_of(rows, answers or {}), prefix=prefix)


def cleaned_answers(form: AnswerForm) -> dict:
    """The checked answers of a valid form as stored, ``{key: value}``, leaving out what was left empty."""
    return {
        key: form.cleaned_data[FIELD_PREFIX + key]
        for key, _field in form.answer_fields()
        if not is_empty(form.cleaned_data.get(FIELD_PREFIX + key))
    }


def answer_columns(rows):
    """A function giving the plain-text answer to each question (in order) of one stored answers dict; the
    fields are built once, so a list of many people costs the same queries as one (none)."""
    fields = [field for _key, field in AnswerForm(rows=rows).answer_fields()]

    def texts(answers: dict) -> list[str]:
        answers = answers if isinstance(answers, dict) else {}
        return [as_text(field.present(answers.get(field.row.key), {})) for field in fields]

    return texts
