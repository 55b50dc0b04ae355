"""The practitioner network: profiles, private questions and their workflow, blocks and reports."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.api import record
from community import rules
from community.models import (
    Block,
    NotificationKind,
    Practitioner,
    Question,
    QuestionMessage,
    QuestionReport,
    QuestionStatus,
    pack,
)
from community.services.errors import CommunityError
from community.services.members import member_for
from community.services.notifications import Text, notify

QUESTIONS_PER_DAY = 3


@transaction.atomic
def save_practitioner(
    *,
    user,
    kind: str,
    bio: str,
    expertise,
    regions,
    languages,
    accepting_questions: bool,
    is_listed: bool = True,
) -> Practitioner:
    practitioner, created = Practitioner.objects.update_or_create(
        user=user,
        defaults={
            "kind": kind,
            "bio": bio,
            "expertise": pack(expertise),
            "regions": pack(regions),
            "languages": pack(languages),
            "accepting_questions": accepting_questions,
            "is_listed": is_listed,
        },
    )
    member_for(user)
    if created:
        record(actor=user, action="community.practitioner.join", target=user)
    return practitioner


def check_question_rate(user) -> None:
    since = timezone.now() - timedelta(days=1)
    if Question.objects.filter(asker=user, created_at__gt=since).count() >= QUESTIONS_PER_DAY:
        raise CommunityError(
            _("You can ask %(count)d questions a day. Please wait for answers and try again tomorrow.")
            % {"count": QUESTIONS_PER_DAY}
        )


def is_blocked(*, blocker, blocked) -> bool:
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


@transaction.atomic
def ask_question(
    *, asker, title: str, body: str, practitioner: Practitioner | None = None, area: str = ""
) -> Question:
    """Ask one practitioner, or the pool of practitioners of an area. Private until both agree to publish."""
    if rules.active_suspension(asker) is not None:
        raise CommunityError(_("You cannot post while you are suspended."))
    check_question_rate(asker)
    if practitioner is not None:
        if practitioner.user_id == asker.pk:
            raise CommunityError(_("You cannot ask yourself."))
        if not practitioner.accepting_questions or not practitioner.user.is_active:
            raise CommunityError(
                _("This practitioner is not accepting questions now. Try the pool of practitioners.")
            )
        if is_blocked(blocker=practitioner.user, blocked=asker):
            raise CommunityError(_("This practitioner is not accepting questions from you."))
        area = ""
    elif not area:
        raise CommunityError(_("Choose the topic of your question."))
    member_for(asker)
    question = Question.objects.create(
        asker=asker,
        practitioner=practitioner,
        to_pool=practitioner is None,
        area=area,
        title=title.strip(),
        body=body,
    )
    record(actor=asker, action="community.question.ask", target=f"question {question.pk}")
    url = reverse("community:question", args=[question.pk])
    text = Text(gettext_lazy("New question: “%(title)s”"), {"title": question.title})
    if practitioner is not None:
        notify(
            user_ids={practitioner.user_id},
            kind=NotificationKind.QUESTION,
            question=question,
            url=url,
            text=text,
        )
    else:
        pool = (
            Practitioner.objects.filter(
                accepting_questions=True, expertise__contains=f",{area},", user__is_active=True
            )
            .exclude(user=asker)
            .exclude(user_id__in=Block.objects.filter(blocked=asker).values("blocker_id"))
            .values_list("user_id", flat=True)
        )
        notify(user_ids=set(pool), kind=NotificationKind.QUESTION, question=question, url=url, text=text)
    return question


@transaction.atomic
def post_question_message(*, question: Question, author, body: str) -> QuestionMessage:
    """A message in the private thread. The first practitioner to answer a pool question takes it."""
    question = (
        Question.objects.select_for_update(of=("self",)).select_related("practitioner").get(pk=question.pk)
    )
    if rules.active_suspension(author) is not None:
        raise CommunityError(_("You cannot post while you are suspended."))
    if question.status == QuestionStatus.CLOSED:
        raise CommunityError(_("This question is closed."))
    is_asker = author.pk == question.asker_id
    if not is_asker:
        practitioner = Practitioner.objects.filter(user=author).first()
        if practitioner is None:
            raise CommunityError(_("Only the asker and the practitioner can write here."))
        if question.practitioner_id is None and question.to_pool:
            question.practitioner = practitioner
            question.save(update_fields=["practitioner"])
        elif question.practitioner_id != practitioner.pk:
            raise CommunityError(_("Another practitioner has already taken this question."))
    other = question.practitioner.user_id if is_asker and question.practitioner else question.asker_id
    if other and (is_blocked(blocker=other, blocked=author) or is_blocked(blocker=author, blocked=other)):
        raise CommunityError(_("You cannot write to this person: one of you has blocked the other."))
    message = QuestionMessage.objects.create(question=question, author=author, body=body)
    if not is_asker and question.status == QuestionStatus.OPEN:
        # The practitioner's reply answers the question; the asker can reopen it if it did not.
        change_question(question=question, user=author, action="answer")
    if other:
        notify(
            user_ids={other},
            kind=NotificationKind.QUESTION_MESSAGE,
            question=question,
            url=reverse("community:question", args=[question.pk]),
            text=Text(gettext_lazy("New message about “%(title)s”"), {"title": question.title}),
        )
    return message


# The question workflow, in one table: (status before, action) -> status after, and who may do it.
QUESTION_TRANSITIONS = {
    (QuestionStatus.OPEN, "answer"): (QuestionStatus.ANSWERED, "answerer"),
    (QuestionStatus.OPEN, "mark_answered"): (QuestionStatus.ANSWERED, "asker"),
    # Already answered by the practitioner's reply: the asker's own "answered" (e.g. from an older tab) changes nothing.
    (QuestionStatus.ANSWERED, "mark_answered"): (QuestionStatus.ANSWERED, "asker"),
    (QuestionStatus.ANSWERED, "reopen"): (QuestionStatus.OPEN, "asker"),
    (QuestionStatus.OPEN, "close"): (QuestionStatus.CLOSED, "asker"),
    (QuestionStatus.ANSWERED, "thank"): (QuestionStatus.ANSWERED, "asker"),
    (QuestionStatus.ANSWERED, "consent"): (QuestionStatus.ANSWERED, "either"),
    (QuestionStatus.ANSWERED, "withdraw_consent"): (QuestionStatus.ANSWERED, "either"),
}


@transaction.atomic
def change_question(*, question: Question, user, action: str, thanks: str = "") -> Question:
    question = (
        Question.objects.select_for_update(of=("self",)).select_related("practitioner").get(pk=question.pk)
    )
    key = (question.status, action)
    if key not in QUESTION_TRANSITIONS:
        raise CommunityError(_("This cannot be done to the question now."))
    after, who = QUESTION_TRANSITIONS[key]
    is_asker = user.pk == question.asker_id
    is_answerer = question.practitioner is not None and question.practitioner.user_id == user.pk
    if who == "answerer" and not is_answerer:
        raise CommunityError(_("Only the asker and the practitioner can write here."))
    if (who == "asker" and not is_asker) or (who == "either" and not (is_asker or is_answerer)):
        raise CommunityError(_("Only the person who asked can do this."))
    now = timezone.now()
    before = question.status
    fields = ["status"]
    if action == "answer":
        question.answered_at = now
        fields.append("answered_at")
    elif action == "mark_answered":
        if not question.messages.exclude(author_id=question.asker_id).exists():
            raise CommunityError(_("No practitioner has answered yet."))
        question.answered_at = question.answered_at or now
        fields.append("answered_at")
    elif action == "reopen":
        question.answered_at = None
        question.published_at = None
        fields += ["answered_at", "published_at"]
    elif action == "thank":
        question.thanked_at = now
        question.thanks = thanks.strip()[:500]
        fields += ["thanked_at", "thanks"]
    elif action in ("consent", "withdraw_consent"):
        field = "asker_consents" if is_asker else "practitioner_consents"
        setattr(question, field, action == "consent")
        fields.append(field)
        both = question.asker_consents and question.practitioner_consents
        question.published_at = (question.published_at or now) if both else None
        fields.append("published_at")
    question.status = after
    question.save(update_fields=fields)
    record(
        actor=user,
        action=f"community.question.{action}",
        target=f"question {question.pk}",
        note=f"{before} → {after}",
    )
    other = question.practitioner.user_id if is_asker and question.practitioner else question.asker_id
    if other and other != user.pk and action in ("mark_answered", "thank", "consent"):
        texts = {
            "mark_answered": gettext_lazy("“%(title)s” was marked answered"),
            "thank": gettext_lazy("You were thanked for your answer to “%(title)s”"),
            "consent": gettext_lazy("Publishing “%(title)s” in the Q&A library was proposed"),
        }
        notify(
            user_ids={other},
            kind=NotificationKind.QUESTION_STATE,
            question=question,
            url=reverse("community:question", args=[question.pk]),
            text=Text(texts[action], {"title": question.title}),
        )
    return question


def block(*, blocker, blocked) -> None:
    if blocker.pk == blocked.pk:
        raise CommunityError(_("You cannot block yourself."))
    try:
        with transaction.atomic():
            Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    except IntegrityError:
        pass
    record(actor=blocker, action="community.block", target=f"user {blocked.pk}")


def unblock(*, blocker, blocked) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    record(actor=blocker, action="community.unblock", target=f"user {blocked.pk}")


def report_question(*, question: Question, reporter, reason: str) -> QuestionReport:
    reason = reason.strip()
    if not reason:
        raise CommunityError(_("Say briefly what is wrong."))
    existing = QuestionReport.objects.filter(
        question=question, reporter=reporter, resolved_at__isnull=True
    ).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return QuestionReport.objects.create(question=question, reporter=reporter, reason=reason)
    except IntegrityError:
        return QuestionReport.objects.get(question=question, reporter=reporter, resolved_at__isnull=True)
