"""Builders for learning tests: courses with modules, lessons and quizzes, made as authors make them."""

from __future__ import annotations

import itertools
from decimal import Decimal

from learning import services
from learning.models import Choice, Course, Lesson, LessonKind, Module, Question, QuestionKind, Topic

_seq = itertools.count(1)


def make_course(
    *,
    title=None,
    slug=None,
    published=True,
    language="ka",
    level="beginner",
    summary=None,
    topics=(),
    lessons=2,
    quiz=True,
    **fields,
) -> Course:
    n = next(_seq)
    course = Course.objects.create(
        title=title or f"საჯარო ფინანსები {n}",
        slug=slug or f"course-{n}",
        summary=summary or "ბიუჯეტის საფუძვლები დამწყებთათვის",
        language=language,
        level=level,
        published=published,
        **fields,
    )
    for name in topics:
        topic, _ = Topic.objects.get_or_create(slug=name, defaults={"name": name})
        course.topics.add(topic)
    module = Module.objects.create(course=course, title="შესავალი", position=1)
    for i in range(1, lessons + 1):
        Lesson.objects.create(
            module=module,
            title=f"გაკვეთილი {i}",
            slug=f"lesson-{i}",
            position=i,
            body=f"# სათაური {i}\n\nტექსტი **{i}**.",
        )
    if quiz:
        make_quiz(module=module, slug="quiz", position=lessons + 1)
    return course


def make_quiz(*, module, slug="quiz", position=99, pass_score=60, max_attempts=3, shuffle=False) -> Lesson:
    quiz = Lesson.objects.create(
        module=module,
        title="ტესტი",
        slug=slug,
        kind=LessonKind.QUIZ,
        position=position,
        pass_score=pass_score,
        max_attempts=max_attempts,
        shuffle=shuffle,
    )
    single = Question.objects.create(
        lesson=quiz,
        kind=QuestionKind.SINGLE,
        prompt="რა არის ბიუჯეტი?",
        position=1,
        explanation="ბიუჯეტი არის **გეგმა**.",
    )
    Choice.objects.create(
        question=single,
        text="შემოსავლებისა და ხარჯების გეგმა",
        is_correct=True,
        position=1,
        feedback="სწორია: გეგმა.",
    )
    Choice.objects.create(
        question=single, text="ბანკის ანგარიში", position=2, feedback="ანგარიში გეგმა არ არის."
    )
    Question.objects.create(
        lesson=quiz,
        kind=QuestionKind.TRUE_FALSE,
        prompt="ბიუჯეტს პარლამენტი ამტკიცებს.",
        correct_bool=True,
        position=2,
    )
    Question.objects.create(
        lesson=quiz,
        kind=QuestionKind.NUMERIC,
        prompt="რამდენია 10-ის 15%?",
        numeric_answer=Decimal("1.5"),
        tolerance=Decimal("0.01"),
        position=3,
    )
    Question.objects.create(
        lesson=quiz,
        kind=QuestionKind.TEXT,
        prompt="საქართველოს დედაქალაქი?",
        accepted_answers="თბილისი\nTbilisi",
        position=4,
    )
    multiple = Question.objects.create(
        lesson=quiz, kind=QuestionKind.MULTIPLE, prompt="რომელია გადასახადი?", position=5
    )
    Choice.objects.create(question=multiple, text="დღგ", is_correct=True, position=1)
    Choice.objects.create(question=multiple, text="საშემოსავლო", is_correct=True, position=2)
    Choice.objects.create(question=multiple, text="ხელფასი", position=3, feedback="ხელფასი შემოსავალია.")
    return quiz


def answers(quiz: Lesson, *, correct=True) -> dict[str, list[str]]:
    """Posted form data answering every question of ``quiz`` right (or all wrong)."""
    data = {}
    for q in quiz.questions.prefetch_related("choices"):
        key = f"q{q.pk}"
        right = [str(c.pk) for c in q.choices.all() if c.is_correct]
        wrong = [str(c.pk) for c in q.choices.all() if not c.is_correct]
        if q.kind == QuestionKind.SINGLE:
            data[key] = right[:1] if correct else wrong[:1]
        elif q.kind == QuestionKind.MULTIPLE:
            data[key] = right if correct else wrong
        elif q.kind == QuestionKind.TRUE_FALSE:
            data[key] = [
                ("true" if q.correct_bool else "false")
                if correct
                else ("false" if q.correct_bool else "true")
            ]
        elif q.kind == QuestionKind.NUMERIC:
            data[key] = [str(q.numeric_answer) if correct else "999"]
        else:
            data[key] = [q.accepted_answers.splitlines()[0] if correct else "არ ვიცი"]
    return data


def enrol(user, course):
    return services.enrol(user=user, course=course)
