"""Scenario names in report order, and the Locust user class that runs each (kept apart from the
locustfile so the runner does not import Locust's gevent-patched modules)."""

ORDER = [
    "anonymous_home",
    "anonymous_catalogue",
    "sign_in_page",
    "organisation_page",
    "profile",
    "lesson_page",
    "forum_topic",
    "credential_verification",
    "application_autosave",
    "reviewer_ranking",
    "mixed",
]
CLASSES = {
    "trivial": "Trivial",
    "anonymous_home": "AnonymousHome",
    "anonymous_catalogue": "AnonymousCatalogue",
    "sign_in_page": "SignInPage",
    "organisation_page": "OrganisationPage",
    "profile": "Profile",
    "lesson_page": "LessonPage",
    "forum_topic": "ForumTopic",
    "credential_verification": "CredentialVerification",
    "application_autosave": "ApplicationAutosave",
    "reviewer_ranking": "ReviewerRanking",
    # The mixed scenario is several kinds of people at once (Locust splits the users by each class's weight).
    "mixed": "MixedLearner MixedApplicant MixedReviewer MixedForumReader MixedVisitor",
}
