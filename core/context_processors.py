from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The header's menu (templates/core/_header.html): each section appears once its domain app has landed and names
# this URL.
SECTIONS = [
    ("learning:catalogue", _("Courses")),
    ("calls:call_list", _("Calls")),
    ("awards:placements", _("Internships")),
    ("credentials:my_credentials", _("Certificates")),
    ("community:index", _("Community")),
    ("events:list", _("Events")),
]


def site(request):
    return {"SITE_URL": settings.SITE_URL, "nav_sections": SECTIONS}
