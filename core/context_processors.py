from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_programme_staff, needs_mfa

# The header's menu (templates/core/_header.html): each section appears once its domain app has landed and names
# this URL.
SECTIONS = [
    ("learning:catalogue", _("Courses")),
    ("calls:call_list", _("Calls")),
    ("credentials:my_credentials", _("Certificates")),
    ("community:index", _("Community")),
]


def site(request):
    viewer = getattr(request, "viewer", None)
    signed_in = bool(viewer and viewer.is_authenticated)
    return {
        "SITE_URL": settings.SITE_URL,
        "nav_sections": SECTIONS,
        "user_is_programme_staff": signed_in and is_programme_staff(viewer),
        "user_needs_mfa": signed_in and needs_mfa(viewer),
    }
