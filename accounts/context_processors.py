from accounts.permissions import is_programme_staff, needs_mfa


def viewer(request):
    """What the header asks of the person: staff entries, and the "set up two-factor" prompt."""
    viewer = getattr(request, "viewer", None)
    signed_in = bool(viewer and viewer.is_authenticated)
    return {
        "user_is_programme_staff": signed_in and is_programme_staff(viewer),
        "user_needs_mfa": signed_in and needs_mfa(viewer),
    }
