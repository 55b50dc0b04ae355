"""Grading of quiz answers: pure functions, one per question kind, no database access.

Answers arrive as the raw lists of strings a form posts (``request.POST.getlist``). ``parse_answer``
turns them into a clean value or raises :class:`AnswerError` with a message for the learner;
``is_correct`` compares a clean value with the question.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from learning.models import QuestionKind

MAX_TEXT_ANSWER = 500
_SPACES = re.compile(r"\s+")


class AnswerError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def normalise_text(value: str) -> str:
    """Compare short answers ignoring surrounding and repeated spaces and letter case (Mtavruli included)."""
    value = unicodedata.normalize("NFKC", value)
    return _SPACES.sub(" ", value).strip().casefold()


def parse_number(raw: str) -> Decimal:
    """A number as people type it: "3.5", "3,5", "1 250", "-2"."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[-+]?[0-9]{1,15}(\.[0-9]{1,6})?", text):
        raise AnswerError(_("Enter a number, for example 12 or 3.5."))
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above already rules this out
        raise AnswerError(_("Enter a number, for example 12 or 3.5.")) from None


def parse_answer(question, raw: list[str], choice_ids: set[int]):
    """Clean value for ``question`` from the posted strings; ``choice_ids`` are the question's choices."""
    values = [v for v in raw if v.strip()]
    if not values:
        raise AnswerError(_("Answer this question."))
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        try:
            chosen = {int(v) for v in values}
        except ValueError:
            raise AnswerError(_("Choose one of the options given.")) from None
        if not chosen <= choice_ids:
            raise AnswerError(_("Choose one of the options given."))
        if kind == QuestionKind.SINGLE and len(chosen) != 1:
            raise AnswerError(_("Choose exactly one option."))
        return sorted(chosen)
    if kind == QuestionKind.TRUE_FALSE:
        if len(values) != 1 or values[0] not in ("true", "false"):
            raise AnswerError(_("Choose true or false."))
        return values[0] == "true"
    if kind == QuestionKind.NUMERIC:
        if len(values) != 1:
            raise AnswerError(_("Enter a number, for example 12 or 3.5."))
        return str(parse_number(values[0]))
    if len(values) != 1 or len(values[0]) > MAX_TEXT_ANSWER:
        raise AnswerError(_("Write a short answer (at most 500 characters)."))
    return values[0].strip()


def is_correct(question, value, correct_choice_ids: set[int]) -> bool:
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return set(value) == correct_choice_ids
    if kind == QuestionKind.TRUE_FALSE:
        return question.correct_bool is not None and value is question.correct_bool
    if kind == QuestionKind.NUMERIC:
        if question.numeric_answer is None:
            return False
        return abs(Decimal(value) - question.numeric_answer) <= question.tolerance
    accepted = {normalise_text(a) for a in question.accepted_answers.splitlines() if a.strip()}
    return normalise_text(value) in accepted


def score_percent(earned: int, possible: int) -> int:
    """Whole percent, rounded down, so a learner never passes on rounding."""
    if possible <= 0:
        return 0
    return earned * 100 // possible
