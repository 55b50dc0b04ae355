"""Staff issue the certification credential to a call's accepted applicants (through calls.api only)."""

import pytest
from django.apps import apps

from credentials import verification
from credentials.models import Credential

pytestmark = pytest.mark.skipif(not apps.is_installed("calls"), reason="the calls app is not installed")


def test_staff_issue_for_accepted_applicants_once(
    learner, other_learner, staff, signing_key, issuer, client_for
):
    from calls import services as calls_services
    from tests.calls.builders import in_review, make_call

    call = make_call(kind="certification")
    accepted = in_review(call, learner, staff)
    rejected = in_review(call, other_learner, staff)
    calls_services.decide(application=accepted, by=staff, outcome="accepted")
    calls_services.decide(application=rejected, by=staff, outcome="rejected")
    client = client_for(staff)
    page = client.get("/credentials/manage/bulk/").content.decode()
    assert call.title_ka in page
    response = client.post("/credentials/manage/bulk/", {"call": call.pk}, follow=True)
    assert "გაიცა 1 სერტიფიკატი, 0 პირს უკვე ჰქონდა." in response.content.decode()
    credential = Credential.objects.get()
    assert credential.user == learner and credential.achievement.key == f"call:{call.pk}"
    assert credential.achievement.name_ka == call.title_ka
    assert verification.verify_token(credential.token).state == "valid"
    response = client.post("/credentials/manage/bulk/", {"call": call.pk}, follow=True)
    assert "გაიცა 0 სერტიფიკატი, 1 პირს უკვე ჰქონდა." in response.content.decode()
    assert Credential.objects.count() == 1


def test_unknown_call_is_refused(staff, client_for, db):
    response = client_for(staff).post("/credentials/manage/bulk/", {"call": 999999})
    assert response.status_code == 400
    assert Credential.objects.count() == 0
