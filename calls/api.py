"""The public interface of the calls domain for other apps (credentials issues certificates from it).

* ``certification_calls()`` — calls of kind "individual certification", newest first;
* ``accepted_applicants(call=...)`` — the people whose applications to ``call`` were accepted;
* ``call_by_pk(pk)`` — one call (404 when missing).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.api import User
from calls.models import Application, Call, CallKind, Outcome, Status


def certification_calls() -> QuerySet[Call]:
    return Call.objects.filter(kind=CallKind.CERTIFICATION).order_by("-opens_at", "-pk")


def accepted_applicants(*, call: Call) -> list[User]:
    applicant_ids = Application.objects.filter(
        call=call, status=Status.DECIDED, outcome=Outcome.ACCEPTED
    ).values("applicant_id")
    return list(User.objects.filter(pk__in=applicant_ids).order_by("full_name_ka", "pk"))


def call_by_pk(pk: int) -> Call:
    return get_object_or_404(Call, pk=pk)


__all__ = ["accepted_applicants", "call_by_pk", "certification_calls"]
