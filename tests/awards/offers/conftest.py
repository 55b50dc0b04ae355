import pytest

from awards.services import offers as services
from tests.awards.offers.builders import accepted
from tests.calls.builders import make_call


@pytest.fixture
def call(db):
    return make_call(slug="offers-cert")


@pytest.fixture
def application(call, learner, staff):
    return accepted(call, learner, staff)


@pytest.fixture
def offer(application, staff):
    return services.make_offer(application=application, by=staff)
