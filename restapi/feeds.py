"""Feeds: RSS and Atom for open calls and current opportunities, and an iCalendar file of call deadlines."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from calls import api as calls_api
from community import api as community_api
from core.api import write_calendar
from restapi.endpoints import eligibility_in_words

FEED_ITEMS = 50


def _deadline(moment) -> str:
    return _("Deadline: %(date)s") % {"date": date_format(timezone.localtime(moment), "j E Y, H:i")}


class CallsFeed(Feed):
    def title(self):
        return _("civichub: calls for applications")

    def link(self):
        return reverse("calls:call_list")

    def description(self):
        return _("Calls open now and opening soon, nearest deadline first.")

    def items(self):
        return calls_api.open_and_upcoming_calls()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        words = [_deadline(item.closes_at), *eligibility_in_words(item, item.required_courses.all())]
        return "\n".join(words)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at

    def item_guid(self, item):
        return f"{settings.SITE_URL}/calls/{item.pk}"

    item_guid_is_permalink = False


class CallsAtomFeed(CallsFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()


class OpportunitiesFeed(Feed):
    def title(self):
        return _("civichub: opportunities")

    def link(self):
        return reverse("community:opportunities")

    def description(self):
        return _("Current opportunities, nearest deadline first.")

    def items(self):
        return community_api.current_opportunities()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.organiser}. {_deadline(item.deadline)}\n\n{item.description}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at


class OpportunitiesAtomFeed(OpportunitiesFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()


# --- iCalendar (RFC 5545), written by core.ics -----------------------------------------------------------------


def calendar_text(calls) -> str:
    """The deadlines of the given calls as one calendar, each with the same UID as in the events feed."""
    entries = [calls_api.deadline_entry(call) for call in calls]
    return write_calendar(entries, name=_("civichub: call deadlines"))


@require_GET
def calls_calendar(request):
    response = HttpResponse(
        calendar_text(calls_api.open_and_upcoming_calls()[:200]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="civichub-call-deadlines.ics"'
    return response
