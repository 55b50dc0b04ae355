from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.permissions import MFARequired
from accounts.viewer import Viewer


class ViewerMiddleware:
    """Give every request ``request.viewer``: what the signed-in person (or visitor) may do, loaded on first use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer = Viewer(request.user)
        return self.get_response(request)


class MFARequiredMiddleware:
    """Send a reviewer or staff member without two-factor authentication to set it up, then back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MFARequired):
            messages.warning(
                request,
                _("Your role needs two-factor authentication. Set up an authenticator app to continue."),
            )
            return redirect("mfa_activate_totp")
        return None
