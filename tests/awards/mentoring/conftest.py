import pytest

from tests.awards.mentoring.builders import active, individual, project_for


@pytest.fixture
def waiting(learner, staff):
    """Nino's individual mentorship, waiting for a mentor."""
    return individual(learner, staff, goals="საჯარო შესყიდვების მონიტორინგი")


@pytest.fixture
def mentorship(waiting, mentor, staff):
    """Nino's mentorship with Levan as her mentor (declared no conflict: active)."""
    return active(waiting, mentor, staff)


@pytest.fixture
def project(admin_org, org_admin):
    return project_for(admin_org, org_admin)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what the block enqueued after commit (the emails), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
