import pytest
from django.core import mail


@pytest.fixture
def mails(django_capture_on_commit_callbacks):
    """``with mails():`` runs what the block enqueued after commit (the emails), from an empty outbox."""

    def run():
        mail.outbox.clear()
        return django_capture_on_commit_callbacks(execute=True)

    return run
