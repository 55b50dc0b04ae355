"""The offers demo on top of accounts' and calls' demos: an accepted grant offer (its project started) and an open
offer for nino@; idempotent; the demo people reach their offers from their home."""

import pytest
from django.urls import reverse

from accounts import demo as accounts_demo
from awards.demo import offers as demo
from awards.models.offers import Offer, OfferEvent, OfferStatus
from calls import demo as calls_demo

pytestmark = pytest.mark.django_db


def test_the_offers_demo_twice_creates_it_once(client):
    accounts_demo.seed()
    calls_demo.seed()
    demo.seed(None)
    demo.seed(None)
    grant = Offer.objects.get(application__call__slug="small-grants-2025")
    assert grant.status == OfferStatus.ACCEPTED
    assert grant.application.organisation.slug == "kakheti-budget-watch"
    assert str(grant.amount) == "4500.00"
    assert grant.project is not None  # the acceptance started the grant project
    waiting = Offer.objects.get(application__applicant__email="nino@demo.civichub.ge")
    assert waiting.status == OfferStatus.MADE
    assert Offer.objects.count() == 2
    assert OfferEvent.objects.count() == 3
    client.force_login(waiting.application.applicant)
    home = client.get(reverse("awards:my_offers")).content.decode()
    assert reverse("awards:offer_detail", args=[waiting.pk]) in home
