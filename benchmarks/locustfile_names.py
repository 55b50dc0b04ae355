"""Scenario names in report order, the Locust user class that runs each, and the autosave form body (kept apart
from the locustfile so the runner and the wrk driver do not import Locust's gevent-patched modules)."""

ORDER = [
    "anonymous_home",
    "anonymous_catalogue",
    "call_list",
    "sign_in_page",
    "organisation_page",
    "profile",
    "lesson_page",
    "catalogue_signed_in",
    "forum_topic",
    "credential_verification",
    "application_autosave",
    "review_queue",
    "reviewer_ranking",
    "project_page",
    "mentor_page",
    "placements",
    "events_list",
    "event_detail",
    "event_registrations",
    "insights_dashboard",
    "mixed",
]
CLASSES = {
    "trivial": "Trivial",
    "anonymous_home": "AnonymousHome",
    "anonymous_catalogue": "AnonymousCatalogue",
    "call_list": "CallList",
    "sign_in_page": "SignInPage",
    "organisation_page": "OrganisationPage",
    "profile": "Profile",
    "lesson_page": "LessonPage",
    "catalogue_signed_in": "CatalogueSignedIn",
    "forum_topic": "ForumTopic",
    "credential_verification": "CredentialVerification",
    "application_autosave": "ApplicationAutosave",
    "review_queue": "ReviewQueue",
    "reviewer_ranking": "ReviewerRanking",
    "project_page": "ProjectPage",
    "mentor_page": "MentorPage",
    "placements": "Placements",
    "events_list": "EventsList",
    "event_detail": "EventDetail",
    "event_registrations": "EventRegistrations",
    "insights_dashboard": "InsightsDashboard",
    # The mixed scenario is several kinds of people at once (Locust splits the users by each class's weight).
    "mixed": "MixedLearner MixedApplicant MixedReviewer MixedForumReader MixedVisitor",
}


BOUNDARY = "civichubbench7MA4YWxkTrZu0gW"


def multipart(pairs) -> bytes:
    """The form as htmx posts it (``hx-encoding="multipart/form-data"``)."""
    parts = []
    for name, value in pairs:
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n')
    parts.append(f"--{BOUNDARY}--\r\n")
    return "".join(parts).encode()
