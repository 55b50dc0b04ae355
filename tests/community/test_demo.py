import pytest

from accounts import demo as accounts_demo
from community import demo
from community.models import Case, Opportunity, Post, Practitioner, Question, Topic

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Topic.objects.count(),
        Post.objects.count(),
        Practitioner.objects.count(),
        Question.objects.count(),
        Case.objects.count(),
        Opportunity.objects.count(),
    )


def test_demo_seeds_the_promised_content_once():
    accounts_demo.seed()
    assert demo.seed() == []
    first = _counts()
    assert Practitioner.objects.count() == 3
    assert Question.objects.filter(published_at__isnull=False).count() == 2
    assert Case.objects.filter(status="published").count() == 4
    assert Case.objects.filter(mechanism="civic_budget", status="published").exists()
    assert Opportunity.objects.count() == 3
    assert Topic.objects.exclude(category__slug="cases").count() == 3
    demo.seed()
    assert _counts() == first
