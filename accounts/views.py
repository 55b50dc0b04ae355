from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import queries, services
from accounts.forms import DeletionRequestForm, InvitationForm, OrganisationForm, ProfileForm
from accounts.permissions import can


@login_required
def profile(request):
    user = queries.user_with_profile(request.user.pk)
    return render(
        request,
        "accounts/profile.html",
        {"profile_user": user, "memberships": list(user.memberships.all())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        services.set_expertise(user=request.user, names=form.cleaned_data["expertise_text"])
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
def organisation_list(request):
    return render(
        request, "accounts/organisation_list.html", {"memberships": queries.memberships_of(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.create_organisation(creator=request.user, **form.cleaned_data)
        messages.success(request, _("The organisation has been created. Staff will verify it."))
        return redirect("accounts:organisation_detail", slug=organisation.slug)
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": True})


def organisation_detail(request, slug):
    organisation = queries.public_organisation(slug)
    viewer = request.viewer
    show_members = can(viewer, "accounts.view_organisation_members", organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "members": queries.organisation_members(organisation) if show_members else None,
            "may_manage": can(viewer, "accounts.manage_organisation", organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    organisation = queries.organisation_for_admin(request.viewer, slug)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The organisation has been saved."))
        return redirect("accounts:organisation_detail", slug=organisation.slug)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_invite(request, slug):
    organisation = queries.organisation_for_admin(request.viewer, slug)
    form = InvitationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        services.invite_member(
            organisation=organisation,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
        )
        messages.success(request, _("The invitation has been sent to %(email)s.") % form.cleaned_data)
        return redirect("accounts:organisation_detail", slug=organisation.slug)
    return render(request, "accounts/organisation_invite.html", {"form": form, "organisation": organisation})


@login_required
@require_POST
def organisation_member(request, slug, membership_id):
    organisation = queries.organisation_for_admin(request.viewer, slug)
    membership = get_object_or_404(organisation.memberships, pk=membership_id)
    try:
        services.update_membership(
            membership=membership, action=request.POST.get("action", ""), by=request.user
        )
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The membership has been updated."))
    return redirect("accounts:organisation_detail", slug=organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    invitation = queries.open_invitation(token)
    if request.method == "POST":
        try:
            services.accept_invitation(invitation=invitation, user=request.user)
        except services.InvitationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("You are now a member of %(name)s.") % {"name": invitation.organisation.name}
            )
            return redirect("accounts:organisation_detail", slug=invitation.organisation.slug)
    return render(request, "accounts/accept_invitation.html", {"invitation": invitation})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeletionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_account_deletion(user=request.user, reason=form.cleaned_data["reason"])
        logout(request)
        messages.success(
            request,
            _(
                "We received your request. Your account will be deleted and you will get an email when it is done."
            ),
        )
        return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form})
