"""The API's typed shapes: each is the response's validation and its OpenAPI component at once (ADR 0022)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from ninja import Field, Schema


class Problem(Schema):
    """An error as RFC 9457 problem details (``application/problem+json``), the title in the requested language."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    errors: list[dict] | None = None


class Page(Schema):
    count: int = Field(description="How many items the whole list has.")
    next: str | None = Field(description="The next page's address, or null on the last page.")
    previous: str | None = Field(description="The previous page's address, or null on the first page.")


# --- courses ---------------------------------------------------------------------------------------------


class CourseOut(Schema):
    slug: str
    title: str
    language: str
    level: str
    summary: str
    estimated_hours: int
    topics: list[str]
    url: str
    updated_at: datetime


class CoursePage(Page):
    items: list[CourseOut]


class LessonOut(Schema):
    title: str
    kind: str
    required: bool
    url: str


class ModuleOut(Schema):
    title: str
    lessons: list[LessonOut]


class CourseDetail(CourseOut):
    prerequisites: list[str]
    modules: list[ModuleOut]


# --- calls -----------------------------------------------------------------------------------------------


class CallOut(Schema):
    slug: str
    kind: str
    title: str
    status: str = Field(description="open or upcoming")
    opens_at: datetime = Field(description="ISO 8601 with the offset of Georgia time (+04:00).")
    closes_at: datetime = Field(description="The exact deadline, ISO 8601 with the offset of Georgia time.")
    applicant_type: str
    regions: list[str] = Field(description="Region codes; empty means every region.")
    required_courses: list[str] = Field(description="Slugs of the courses an applicant must complete.")
    budget_max: Decimal | None
    eligibility: list[str] = Field(description="Who may apply, in words, in the requested language.")
    url: str


class CallPage(Page):
    items: list[CallOut]


# --- community -------------------------------------------------------------------------------------------


class OpportunityOut(Schema):
    id: int
    title: str
    organiser: str
    deadline: datetime
    link: str
    description: str
    url: str


class OpportunityPage(Page):
    items: list[OpportunityOut]


class CaseOut(Schema):
    slug: str
    title: str
    mechanism: str
    region: str
    municipality: str
    year: int
    summary: str
    published_at: datetime | None
    url: str


class CasePage(Page):
    items: list[CaseOut]


# --- events --------------------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    registration_deadline: datetime
    venue: str
    address: str
    audience: str = Field(description="Who may register.")
    url: str


class EventPage(Page):
    items: list[EventOut]


# --- credential verification -----------------------------------------------------------------------------


class VerifyIn(Schema):
    token: str = Field(
        min_length=1,
        max_length=20000,
        description="A VC-JWT issued by civichub, or a certificate's printed code.",
    )


class CheckOut(Schema):
    name: str
    ok: bool | None
    message: str


class VerdictOut(Schema):
    state: str = Field(description="valid, revoked, expired, not_yet_valid or invalid")
    valid: bool
    headline: str
    achievement: str
    valid_from: datetime | None
    valid_until: datetime | None
    checks: list[CheckOut]


# --- personal --------------------------------------------------------------------------------------------


class EnrolmentOut(Schema):
    course: str
    title: str
    enrolled_at: datetime
    completed_at: datetime | None
    percent: int = Field(description="Share of the counted lessons done, 0 to 100.")
    next_lesson: str | None
    url: str


class EnrolmentPage(Page):
    items: list[EnrolmentOut]


class MyApplicationOut(Schema):
    id: int
    reference: str | None
    call: str
    call_title: str
    status: str = Field(
        description="The status the applicant sees: a decision shows once its letter is sent."
    )
    status_label: str
    created_at: datetime
    submitted_at: datetime | None
    url: str


class MyApplicationPage(Page):
    items: list[MyApplicationOut]


class CredentialOut(Schema):
    id: UUID
    achievement: str
    issued_at: datetime
    valid_until: datetime | None
    status: str
    url: str
    json_url: str


class CredentialPage(Page):
    items: list[CredentialOut]


# --- staff -----------------------------------------------------------------------------------------------


class ReviewOut(Schema):
    scores: dict[str, int | float | str | None]
    total: Decimal | None
    recommendation: str
    submitted_at: datetime | None


class ApplicantOut(Schema):
    name: str
    email: str
    organisation: str | None


class StaffApplicationOut(Schema):
    id: int
    reference: str | None
    status: str
    outcome: str
    score: Decimal | None
    review_count: int
    disagreement: bool
    submitted_at: datetime | None
    decided_at: datetime | None
    decision_published_at: datetime | None
    applicant: ApplicantOut = Field(
        description="As in the staff export; reviewers' identities are never given."
    )
    reviews: list[ReviewOut]


class StaffApplicationPage(Page):
    items: list[StaffApplicationOut]


class ExportOut(Schema):
    columns: list[str]
    rows: list[list[str]]
