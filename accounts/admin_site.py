from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import can


class CivicAdminSite(admin.AdminSite):
    """The Django admin, entered through our own sign-in (with its two-factor step) and only with MFA set up."""

    site_header = gettext_lazy("civichub administration")
    site_title = gettext_lazy("civichub administration")
    index_title = gettext_lazy("Administration")

    def has_permission(self, request):
        return request.user.is_active and can(request.viewer, "accounts.use_admin")

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and user.is_staff and not self.has_permission(request):
            messages.warning(
                request, _("The administration needs two-factor authentication. Set it up first.")
            )
            return redirect("mfa_activate_totp")
        if user.is_authenticated and not user.is_staff:
            return redirect("home")
        next_url = request.GET.get("next", reverse("admin:index"))
        return redirect(reverse("account_login") + "?" + urlencode({"next": next_url}))
