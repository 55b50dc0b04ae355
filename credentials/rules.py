"""Permission rules of the credentials domain (see accounts.permissions)."""

from accounts.api import is_programme_staff, rule


@rule("credentials.view_public")
def _view_public(viewer, credential) -> bool:
    """Verification pages, issuer, keys and achievements are public."""
    return True


@rule("credentials.view_own")
def _view_own(viewer, credential) -> bool:
    return credential.user_id == viewer.pk


@rule("credentials.download_pdf")
def _download_pdf(viewer, credential) -> bool:
    """The PDF prints the name: public only while the holder shows the name."""
    if credential.show_name:
        return True
    return bool(getattr(viewer, "is_authenticated", False)) and (
        credential.user_id == viewer.pk or is_programme_staff(viewer)
    )


@rule("credentials.manage")
def _manage(viewer, obj) -> bool:
    return is_programme_staff(viewer)
