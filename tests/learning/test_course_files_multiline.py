"""Multi-line quiz prompts, feedback and explanations in course folders ("key: |" + indented lines)."""

import pytest
from django.urls import reverse

from learning import services
from learning.course_files import CourseFolderError, export_course, import_course, read_course_folder
from learning.models import Choice, Course, Lesson, Question
from tests.learning.builders import answers, make_course
from tests.learning.test_course_files import _same_tree

pytestmark = pytest.mark.django_db(transaction=True)

PROMPT = "წაიკითხეთ ამონაწერი:\n\n> მერი ბიუჯეტის პროექტს საკრებულოს წარუდგენს.\n\nვინ ამტკიცებს ბიუჯეტს?"
FEEDBACK = "არა.\n    მერი მხოლოდ წარადგენს პროექტს.  \n\nამტკიცებს საკრებულო."
EXPLANATION = "- მერი ამზადებს\n- საკრებულო ამტკიცებს\n\n  ჩაწეული სტრიქონი"


def _multiline_course():
    course = make_course(slug="multi")
    quiz = Lesson.objects.get(course=course, slug="quiz")
    question = quiz.questions.get(kind="single")
    question.prompt, question.explanation = PROMPT, EXPLANATION
    question.save()
    Choice.objects.filter(question=question, is_correct=False).update(feedback=FEEDBACK)
    # Text typed into the admin arrives with Windows line endings: exported with plain newlines.
    quiz.questions.filter(kind="true_false").update(prompt="პირველი სტრიქონი\r\nმეორე სტრიქონი")
    return course


def test_multiline_texts_are_written_as_indented_blocks_and_read_back_exactly(tmp_path):
    first = export_course(_multiline_course(), tmp_path / "one")
    text = next(first.glob("*/*.quiz")).read_text(encoding="utf-8")
    assert "prompt: |\n  წაიკითხეთ ამონაწერი:\n\n  > მერი ბიუჯეტის" in text
    assert "feedback: |\n  არა.\n      მერი მხოლოდ წარადგენს პროექტს.  \n\n  ამტკიცებს საკრებულო.\n" in text
    assert "explanation: |\n  - მერი ამზადებს\n  - საკრებულო ამტკიცებს\n\n    ჩაწეული სტრიქონი" in text
    assert "prompt: |\n  პირველი სტრიქონი\n  მეორე სტრიქონი\n" in text
    assert "prompt: რამდენია 10-ის 15%?\n" in text  # one-line values stay on one line

    Course.objects.all().delete()
    imported, _created = import_course(first)
    question = Question.objects.get(lesson__course=imported, kind="single")
    assert (question.prompt, question.explanation) == (PROMPT, EXPLANATION)
    assert question.choices.get(is_correct=False).feedback == FEEDBACK
    assert question.choices.get(is_correct=True).feedback == "სწორია: გეგმა."
    assert (
        Question.objects.get(lesson__course=imported, kind="true_false").prompt
        == "პირველი სტრიქონი\nმეორე სტრიქონი"
    )
    assert _same_tree(first, export_course(imported, tmp_path / "two"))


def _quiz_folder(tmp_path, questions: str):
    folder = tmp_path / "hand"
    (folder / "01-module").mkdir(parents=True)
    (folder / "course.md").write_text(
        "title: ხელით\nslug: hand\nlanguage: ka\nsummary: ტესტი\n---\n", encoding="utf-8"
    )
    (folder / "01-module" / "module.md").write_text("title: მოდული\n", encoding="utf-8")
    (folder / "01-module" / "01-quiz.quiz").write_text(
        "title: ტესტი\nslug: quiz\n---\nშესავალი\n\n" + questions, encoding="utf-8"
    )
    return folder


def test_a_block_ends_at_the_next_key_and_blank_lines_before_it_are_not_part_of_the_value(tmp_path):
    folder = _quiz_folder(
        tmp_path,
        (
            "=== question single\n"
            "prompt: |\n  ერთი\n\n  ორი\n\n\n"
            "choice*: კი\n"
            "feedback: |\n  სწორია.\n  მეორე სტრიქონი.\n"
            "choice: არა\n"
            "feedback: ერთ სტრიქონზე\n"
            "explanation: |\n"  # nothing indented follows: the old meaning, the text "|"
            "\n=== question true_false\nprompt: ჭეშმარიტია.\nanswer: true\n"
        ),
    )
    course = read_course_folder(folder)
    single, true_false = course.modules[0].lessons[0].questions
    assert single.prompt == "ერთი\n\nორი"
    assert [(c.text, c.feedback) for c in single.choices] == [
        ("კი", "სწორია.\nმეორე სტრიქონი."),
        ("არა", "ერთ სტრიქონზე"),
    ]
    assert single.explanation == "|"
    assert true_false.prompt == "ჭეშმარიტია."


def test_indented_lines_without_a_block_key_and_overlong_feedback_name_file_and_line(tmp_path):
    folder = _quiz_folder(
        tmp_path,
        (
            "=== question single\n"
            "prompt: ერთ სტრიქონზე\n"
            "  გაგრძელება\n"
            "choice*: კი\n"
            "feedback: |\n" + "".join(f"  {'ა' * 99}\n" for _ in range(11)) + "choice: არა\n"
        ),
    )
    with pytest.raises(CourseFolderError) as error:
        import_course(folder)
    assert len(error.value.errors) == 2
    indented, too_long = error.value.errors
    assert indented.startswith("hand/01-module/01-quiz.quiz:8: expected \"key: value\", found '  გაგრძელება'")
    assert '"key: |"' in indented
    assert too_long == 'hand/01-module/01-quiz.quiz:10: "feedback" is longer than 1000 characters'
    assert not Course.objects.filter(slug="hand").exists()


def test_multiline_prompt_and_feedback_show_as_separate_lines_and_stay_escaped(client_for, learner):
    course = make_course(slug="lines")
    quiz = Lesson.objects.get(course=course, slug="quiz")
    question = quiz.questions.get(kind="single")
    question.prompt = "პირველი <b>სტრიქონი</b>\nმეორე სტრიქონი"
    question.save()
    Choice.objects.filter(question=question, is_correct=False).update(feedback="არა.\nსცადეთ <i>ისევ</i>.")
    services.enrol(user=learner, course=course)
    client = client_for(learner)
    page = client.get(reverse("learning:lesson", args=[course.slug, quiz.slug])).content.decode()
    assert "<legend>პირველი &lt;b&gt;სტრიქონი&lt;/b&gt;<br>მეორე სტრიქონი</legend>" in page
    assert "სცადეთ" not in page  # feedback only after submitting
    client.post(
        reverse("learning:quiz_submit", args=[course.slug, quiz.slug]),
        {**answers(quiz, correct=False), "attempt": "1"},
    )
    result = client.get(reverse("learning:attempt", args=[course.slug, quiz.slug, 1])).content.decode()
    assert '<span class="feedback">არა.<br>სცადეთ &lt;i&gt;ისევ&lt;/i&gt;.</span>' in result
    assert '<p class="prompt">პირველი &lt;b&gt;სტრიქონი&lt;/b&gt;<br>მეორე სტრიქონი</p>' in result
