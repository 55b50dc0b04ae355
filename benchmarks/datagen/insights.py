"""The indicators dashboard for load tests: two generated people become donor viewers, and the dashboard's snapshot
is computed from everything generated before (this domain runs last) as the hourly periodic job computes it
(``core.periodic`` job ``insights.refresh`` runs ``insights.tasks.refresh_indicators``)."""

from __future__ import annotations

from benchmarks.datagen import Scale

DONORS = 2


def generate(scale: Scale, rng, stdout, **previous) -> dict:
    from accounts.api import Role
    from accounts.models import RoleGrant
    from insights.tasks import refresh_indicators

    user_ids = previous.get("user_ids") or []
    # Donor viewers hold no other role (the last generated people, after the mentors' pool is taken from the end).
    taken = set(RoleGrant.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    donors = [pk for pk in user_ids[len(user_ids) // 2 :] if pk not in taken][:DONORS]
    RoleGrant.objects.bulk_create([RoleGrant(user_id=pk, role=Role.DONOR) for pk in donors])
    cells = refresh_indicators.call()
    stdout.write(f"  insights: {len(donors)} donor viewers, a snapshot of {cells} cells")
    return {"donor_ids": donors}


def delete() -> None:
    """Nothing of its own: the donors' role grants go with the generated people; snapshots are kept (the newest is
    computed again at the end of the next run, older ones age out)."""
