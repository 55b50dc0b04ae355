from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learning import grading
from learning.models import Question, QuestionKind


def q(kind, **fields):
    return Question(kind=kind, prompt="?", **fields)


def test_single_choice_is_right_only_for_the_correct_choice():
    question = q(QuestionKind.SINGLE)
    assert grading.is_correct(question, grading.parse_answer(question, ["1"], {1, 2}), {1}) is True
    assert grading.is_correct(question, grading.parse_answer(question, ["2"], {1, 2}), {1}) is False


def test_single_choice_refuses_two_choices_and_foreign_choices():
    question = q(QuestionKind.SINGLE)
    with pytest.raises(grading.AnswerError):
        grading.parse_answer(question, ["1", "2"], {1, 2})
    with pytest.raises(grading.AnswerError):
        grading.parse_answer(question, ["99"], {1, 2})
    with pytest.raises(grading.AnswerError):
        grading.parse_answer(question, ["abc"], {1, 2})


def test_multiple_choice_needs_exactly_the_correct_set():
    question = q(QuestionKind.MULTIPLE)
    assert grading.is_correct(question, [1, 2], {1, 2}) is True
    assert grading.is_correct(question, [1], {1, 2}) is False
    assert grading.is_correct(question, [1, 2, 3], {1, 2}) is False


def test_true_false_compares_with_the_statement():
    question = q(QuestionKind.TRUE_FALSE, correct_bool=False)
    assert grading.is_correct(question, grading.parse_answer(question, ["false"], set()), set()) is True
    assert grading.is_correct(question, grading.parse_answer(question, ["true"], set()), set()) is False
    with pytest.raises(grading.AnswerError):
        grading.parse_answer(question, ["maybe"], set())


@pytest.mark.parametrize(
    "typed,right",
    [
        ("1.5", True),
        ("1,5", True),
        (" 1.51 ", True),
        ("1.49", True),
        ("1.52", False),
        ("-1.5", False),
    ],
)
def test_numeric_answers_within_tolerance_are_right(typed, right):
    question = q(QuestionKind.NUMERIC, numeric_answer=Decimal("1.5"), tolerance=Decimal("0.01"))
    assert grading.is_correct(question, grading.parse_answer(question, [typed], set()), set()) is right


def test_numeric_answer_with_zero_tolerance_must_be_exact_and_accepts_thousands_spaces():
    question = q(QuestionKind.NUMERIC, numeric_answer=Decimal("1250"), tolerance=Decimal("0"))
    assert grading.is_correct(question, grading.parse_answer(question, ["1 250"], set()), set()) is True
    assert (
        grading.is_correct(question, grading.parse_answer(question, ["1250.000001"], set()), set()) is False
    )


@pytest.mark.parametrize("typed", ["abc", "1e9", "1.2.3", "١٢", "9" * 40, "NaN", "Infinity"])
def test_numeric_answer_that_is_not_a_number_is_refused_with_a_message(typed):
    question = q(QuestionKind.NUMERIC, numeric_answer=Decimal("1"))
    with pytest.raises(grading.AnswerError) as error:
        grading.parse_answer(question, [typed], set())
    assert "number" in str(error.value.message)


@pytest.mark.parametrize("typed", ["თბილისი", "  თბილისი ", "ᲗᲑᲘᲚᲘᲡᲘ", "tbilisi", "TBILISI", "Tbilisi"])
def test_short_text_ignores_spaces_and_case_including_georgian_mtavruli(typed):
    question = q(QuestionKind.TEXT, accepted_answers="თბილისი\nTbilisi")
    assert grading.is_correct(question, grading.parse_answer(question, [typed], set()), set()) is True


def test_short_text_collapses_inner_spaces_but_not_letters():
    question = q(QuestionKind.TEXT, accepted_answers="საჯარო პოლიტიკა")
    assert grading.is_correct(question, "საჯარო    პოლიტიკა", set()) is True
    assert grading.is_correct(question, "საჯაროპოლიტიკა", set()) is False
    assert grading.is_correct(question, "საჯარო პოლიტიკის", set()) is False


def test_empty_and_oversized_answers_are_refused():
    question = q(QuestionKind.TEXT, accepted_answers="x")
    with pytest.raises(grading.AnswerError):
        grading.parse_answer(question, ["   "], set())
    with pytest.raises(grading.AnswerError):
        grading.parse_answer(question, ["x" * 501], set())


def test_score_rounds_down_so_nobody_passes_on_rounding():
    assert grading.score_percent(2, 3) == 66
    assert grading.score_percent(0, 0) == 0
    assert grading.score_percent(5, 5) == 100


@given(st.text(max_size=60))
def test_normalising_text_is_idempotent(text):
    once = grading.normalise_text(text)
    assert grading.normalise_text(once) == once
