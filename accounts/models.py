import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.regions import Region
from accounts.validators import (
    reject_control_characters,
    validate_georgian_name,
    validate_latin_name,
    validate_phone,
    validate_single_line,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class ExpertiseTag(models.Model):
    """A free-form area of expertise (\"civic budgets\", \"public procurement\")."""

    name = models.CharField(_("name"), max_length=60, validators=[validate_single_line])

    class Meta:
        verbose_name = _("area of expertise")
        verbose_name_plural = _("areas of expertise")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="expertise_tag_name_ci_unique")]

    def __str__(self):
        return self.name


class Gender(models.TextChoices):
    """Optional, self-declared, used only for the programme's anonymous statistics (insights)."""

    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", pgettext_lazy("gender", "Other")
    UNSAID = "unsaid", _("Prefer not to say")


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Email is the login; the name is kept in Georgian and in Latin script for certificates."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    full_name_ka = models.CharField(
        _("full name in Georgian"), max_length=150, blank=True, validators=[validate_georgian_name]
    )
    full_name_latin = models.CharField(
        _("full name in Latin letters"), max_length=150, blank=True, validators=[validate_latin_name]
    )
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    municipality = models.CharField(
        _("municipality"), max_length=100, blank=True, validators=[validate_single_line]
    )
    bio = models.TextField(
        _("short bio"), max_length=1000, blank=True, validators=[reject_control_characters]
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[validate_phone])
    expertise = models.ManyToManyField(ExpertiseTag, verbose_name=_("areas of expertise"), blank=True)
    language = models.CharField(
        _("language for emails"),
        max_length=2,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Messages we send you are written in this language."),
    )
    gender = models.CharField(
        _("gender"),
        max_length=8,
        choices=Gender.choices,
        blank=True,
        help_text=_("Optional. Used only for the programme's anonymous statistics; never shown to anyone."),
    )
    is_staff = models.BooleanField(_("may use the admin"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[misc]  # noqa: RUF012 - Django reads it as a class attribute

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the script of the active language, falling back to the other one, then the email's local part."""
        return self.name_in(get_language())

    def name_in(self, language: str | None) -> str:
        """``display_name`` for ``language`` (for pages that list many people: the language looked up once)."""
        if language == "ka":
            return self.full_name_ka or self.full_name_latin or self.email.split("@")[0]
        return self.full_name_latin or self.full_name_ka or self.email.split("@")[0]

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name.split(" ")[0]


class Role(models.TextChoices):
    """Roles beyond \"learner\", which everyone is."""

    REVIEWER = "reviewer", _("Reviewer (expert)")
    MENTOR = "mentor", _("Mentor")
    PRACTITIONER = "practitioner", _("Practitioner")
    HOST = "host", _("Host-organisation representative")
    STAFF = "staff", _("Programme staff")
    ADMIN = "admin", _("Site administrator")
    DONOR = "donor", _("Donor viewer (aggregates only)")


class RoleGrant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint("user", "role", name="role_grant_unique")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class OrganisationKind(models.TextChoices):
    CSO = "cso", _("Civil-society organisation")
    PUBLIC = "public", _("Public body")
    MUNICIPALITY = "municipality", _("Municipality")
    ACADEMIC = "academic", _("University or research institute")
    MEDIA = "media", _("Media")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    name_ka = models.CharField(_("name in Georgian"), max_length=200, validators=[validate_single_line])
    name_en = models.CharField(
        _("name in English"), max_length=200, blank=True, validators=[validate_single_line]
    )
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.CSO
    )
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("description"), max_length=3000, blank=True, validators=[reject_control_characters]
    )
    registration_number = models.CharField(
        _("registration number"), max_length=40, blank=True, validators=[validate_single_line]
    )
    verified = models.BooleanField(_("verified by staff"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_ka"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_ka


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    ADMIN = "admin", _("Administrator")


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint("organisation", "user", name="membership_unique")]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"


class Invitation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    token = models.UUIDField(_("invitation code"), default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"


class DeletionRequest(models.Model):
    """A person asked for their account to be deleted; staff process it (records tied to grants may be kept)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deletion_requests",
        verbose_name=_("user"),
    )
    reason = models.TextField(
        _("reason"), max_length=2000, blank=True, validators=[reject_control_characters]
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("account deletion request")
        verbose_name_plural = _("account deletion requests")
        constraints = [
            models.UniqueConstraint(
                "user", condition=models.Q(processed_at__isnull=True), name="one_open_deletion_request"
            )
        ]

    def __str__(self):
        return str(self.user)


class AuditEntry(models.Model):
    """Who changed what, when: organisation verification, role grants, deletions."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    action = models.CharField(_("action"), max_length=60)
    target = models.CharField(_("object"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target}"


class FailedLogin(models.Model):
    """One failed sign-in, counted per address and per IP by every web process alike (the database is shared)."""

    email = models.CharField(max_length=254)
    ip = models.CharField(max_length=45)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        indexes = [models.Index(fields=["email", "at"]), models.Index(fields=["ip", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.email}"
