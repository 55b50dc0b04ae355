import pytest

from tests.awards.internships.builders import candidate, internship_call, place, position


@pytest.fixture
def call(db):
    return internship_call(slug="internships-2027")


@pytest.fixture
def cand(call, learner, staff):
    return candidate(call, learner, staff)


@pytest.fixture
def pos(host_org, host, call):
    return position(host_org, host, call=call)


@pytest.fixture
def internship(pos, cand, host):
    return place(pos, cand, host)
