"""Permission-matrix rows of awards' internships: placements (public when published), the host's pages, the
internship (intern, supervisor, host, staff; everyone else 404) and the staff overview."""

from awards.services import internships as services
from tests.awards.internships.builders import AGREEMENT, candidate, internship_call, position
from tests.matrix import PUBLIC, SIGNED_IN, STAFF_ONLY, Row, expect


def build(world):
    from accounts.api import Organisation

    host_org = Organisation.objects.get(memberships__user=world.host, verified=True)
    call = internship_call(slug="matrix-internships")
    world.int_position = position(host_org, world.host, call=call)
    world.int_draft = position(host_org, world.host, call=call, publish=False, title_ka="მონახაზი")
    cand = candidate(call, world.learner, world.staff)
    selected = services.select_intern(position=world.int_position, candidate=cand, by=world.host, **AGREEMENT)
    # Under way: the intern has acknowledged the agreement, so evaluations and the reflection are offered.
    world.int_internship = services.acknowledge_agreement(internship=selected, by=world.learner)


HOST_ONLY = expect(403, anon=302, host=200)
MANAGERS = expect(404, anon=302, host=200, staff=200)
MANAGERS_POST = expect(404, anon=302, host=302, staff=302)
INTERNSHIP_PEOPLE = expect(404, anon=302, learner=200, host=200, staff=200)


def _pos(w):
    return [w.int_position.pk]


def _int(w):
    return [w.int_internship.pk]


ROWS = [
    Row("awards:placements", PUBLIC),
    Row("awards:placements", PUBLIC, query="?region=guria", note="filtered"),
    Row("awards:placement_detail", PUBLIC, args=_pos),
    Row(
        "awards:placement_detail",
        expect(404, host=200, staff=200),
        args=lambda w: [w.int_draft.pk],
        note="draft",
    ),
    Row("awards:host_placements", HOST_ONLY),
    Row("awards:placement_create", HOST_ONLY),
    Row("awards:placement_edit", MANAGERS, args=_pos),
    Row(
        "awards:placement_status", MANAGERS_POST, args=_pos, method="post", data=lambda w: {"action": "close"}
    ),
    Row("awards:placement_select", MANAGERS, args=_pos),
    Row("awards:my_internships", SIGNED_IN),
    Row("awards:internship_detail", INTERNSHIP_PEOPLE, args=_int),
    Row(
        "awards:internship_agreement",
        MANAGERS_POST,
        args=_int,
        note="acknowledged already: back to the internship (editing is tested while pending)",
    ),
    Row("awards:internship_acknowledge", expect(404, anon=302, learner=302), args=_int, method="post"),
    Row(
        "awards:internship_discontinue",
        MANAGERS_POST,
        args=_int,
        method="post",
        data=lambda w: {"note": "მიზეზი"},
    ),
    Row("awards:internship_evaluate", expect(404, anon=302, host=200), args=lambda w: [*_int(w), "midterm"]),
    Row("awards:internship_reflection", expect(404, anon=302, learner=200), args=_int),
    Row("awards:internships_overview", STAFF_ONLY),
    Row("awards:internships_export", STAFF_ONLY, args=lambda w: ["internships", "csv"]),
    Row("awards:internships_export", STAFF_ONLY, args=lambda w: ["positions", "xlsx"], note="xlsx"),
]
