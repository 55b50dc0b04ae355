"""The case library: drafts, files, and the review workflow (publishing opens the case's discussion topic)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts.api import is_programme_staff, record
from community.models import Case, CaseFile, CaseStatus, Category, NotificationKind, Post, Topic
from community.services.errors import CommunityError
from community.services.forum import CASES_SLUG, ensure_default_categories
from community.services.notifications import Text, notify
from core.api import safe_filename, validate_upload

# --- case library -----------------------------------------------------------------------------------

CASE_FIELDS = (
    "title",
    "mechanism",
    "region",
    "municipality",
    "year",
    "summary",
    "what_happened",
    "outcome",
    "lessons",
    "links",
)


@transaction.atomic
def save_case(*, author, case: Case | None = None, **fields) -> Case:
    if case is None:
        case = Case(author=author)
    for name in CASE_FIELDS:
        if name in fields:
            setattr(case, name, fields[name])
    case.save()
    return case


def add_case_file(*, case: Case, upload, by) -> CaseFile:
    kind = validate_upload(upload)
    name = safe_filename(upload.name)
    if case.files.count() >= 10:
        raise ValidationError(_("A case can have at most 10 files."))
    return CaseFile.objects.create(
        case=case, file=upload, name=name, kind=kind, size=upload.size, uploaded_by=by
    )


# The case review workflow: (status before, action) -> status after. Staff review; authors submit.
CASE_TRANSITIONS = {
    (CaseStatus.DRAFT, "submit"): CaseStatus.SUBMITTED,
    (CaseStatus.RETURNED, "submit"): CaseStatus.SUBMITTED,
    (CaseStatus.SUBMITTED, "publish"): CaseStatus.PUBLISHED,
    (CaseStatus.SUBMITTED, "return"): CaseStatus.RETURNED,
    (CaseStatus.PUBLISHED, "unpublish"): CaseStatus.RETURNED,
}
STAFF_CASE_ACTIONS = {"publish", "return", "unpublish"}


@transaction.atomic
def change_case(*, case: Case, user, action: str, note: str = "") -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    key = (case.status, action)
    if key not in CASE_TRANSITIONS:
        raise CommunityError(_("This cannot be done to the case now."))
    if action in STAFF_CASE_ACTIONS and not is_programme_staff(user):
        raise CommunityError(_("Only programme staff review cases."))
    if action == "submit" and not (case.author_id == user.pk or is_programme_staff(user)):
        raise CommunityError(_("Only the author can submit the case."))
    before = case.status
    case.status = CASE_TRANSITIONS[key]
    fields = ["status"]
    if action in ("return", "unpublish"):
        case.review_note = note.strip()
        fields.append("review_note")
    if action == "publish":
        case.published_at = case.published_at or timezone.now()
        case.review_note = ""
        fields += ["published_at", "review_note"]
        if case.topic_id is None:
            case.topic = _case_topic(case)
            fields.append("topic")
    case.save(update_fields=fields)
    record(
        actor=user,
        action=f"community.case.{action}",
        target=f"case {case.pk}",
        note=f"{before} → {case.status}",
    )
    if case.author_id and case.author_id != user.pk:
        texts = {
            "publish": gettext_lazy("Your case “%(title)s” was published"),
            "return": gettext_lazy("Your case “%(title)s” was returned for changes"),
            "unpublish": gettext_lazy("Your case “%(title)s” was taken back for changes"),
        }
        if action in texts:
            notify(
                user_ids={case.author_id},
                kind=NotificationKind.CASE,
                url=case.get_absolute_url(),
                text=Text(texts[action], {"title": case.title}),
            )
    return case


def _case_topic(case: Case) -> Topic:
    """The case's discussion topic in the case-discussions category, opened by the author."""
    ensure_default_categories()
    category = Category.objects.get(slug=CASES_SLUG)
    now = timezone.now()
    topic = Topic.objects.create(
        category=category,
        title=case.title,
        author=case.author,
        created_at=now,
        last_post_at=now,
        post_count=1,
    )
    with override("ka"):
        read = _("Read the case")
        body = f"{case.summary}\n\n[{read}]({case.get_absolute_url()})"
    Post.objects.create(topic=topic, number=1, author=case.author, body=body, created_at=now)
    Category.objects.filter(pk=category.pk).update(topic_count=F("topic_count") + 1, last_post_at=now)
    return topic
