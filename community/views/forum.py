"""Forum pages: categories, topics, posts, search, notifications and a member's settings."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.api import can
from community import queries, rules, services
from community.forms import (
    EditPostForm,
    FlagForm,
    MemberSettingsForm,
    MoveForm,
    ReplyForm,
    SearchForm,
    TopicForm,
)
from community.services import CommunityError
from community.views.common import LIST_PER_PAGE, POSTS_PER_PAGE, TOPICS_PER_PAGE, page_of


def index(request):
    viewer = request.viewer
    categories = list(queries.categories(viewer))
    return render(
        request,
        "community/index.html",
        {
            "general": [c for c in categories if c.kind in ("general", "cases")],
            "regions": [c for c in categories if c.kind == "region"],
            "courses": [c for c in categories if c.kind == "course"],
            "recent": list(queries.topics_for_listing(viewer=viewer)[:10]),
            "unread_notifications": queries.unread_notification_count(viewer),
            "search_form": SearchForm(),
        },
    )


def category(request, slug):
    category = queries.category_by_slug(slug)
    topics = queries.topics_for_listing(viewer=request.viewer, category=category)
    return render(
        request,
        "community/category.html",
        {
            "category": category,
            "page": page_of(request, topics, TOPICS_PER_PAGE),
            "following": queries.is_following(viewer=request.viewer, category=category),
        },
    )


def course_category(request, course_slug):
    from learning import api as learning_api

    course = learning_api.course_by_slug(course_slug)
    return redirect("community:category", slug=services.category_for_course(course).slug)


@login_required
@require_POST
def category_follow(request, slug):
    category = queries.category_by_slug(slug)
    following = services.toggle_subscription(user=request.user, category=category)
    messages.success(
        request,
        _("You follow this category: new topics will be notified.")
        if following
        else _("You no longer follow this category."),
    )
    return redirect(category)


@login_required
@require_http_methods(["GET", "POST"])
def new_topic(request, slug):
    category = queries.category_by_slug(slug)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.start_topic(category=category, author=request.user, **form.cleaned_data)
        except CommunityError as error:
            form.add_error(None, str(error))
        else:
            return redirect(topic)
    return render(
        request,
        "community/topic_form.html",
        {"form": form, "category": category, "suspension": rules.active_suspension(request.viewer)},
    )


def _page_of_posts(request, posts):
    """The requested page of a topic's posts. Page 1 reads one post more than a page holds: when that one is not
    there (most topics fit on a page), the page is complete and no COUNT is needed."""
    if request.GET.get("page") in (None, "", "1"):
        first = list(posts[: POSTS_PER_PAGE + 1])
        if len(first) <= POSTS_PER_PAGE:
            return Paginator(first, POSTS_PER_PAGE).page(1)
        page = Paginator(posts, POSTS_PER_PAGE).page(1)
        page.object_list = first[:POSTS_PER_PAGE]
        return page
    return page_of(request, posts, POSTS_PER_PAGE)


def topic(request, pk):
    """A page of a topic's posts. Signed in, it moves the reader's read marker to the last post shown."""
    viewer = request.viewer
    topic = queries.topic_for_page(viewer, pk)
    moderator = rules.is_moderator(viewer)
    page = _page_of_posts(request, queries.posts_of_topic(topic=topic, viewer=viewer))
    page.object_list = posts = list(page.object_list)
    if viewer.is_authenticated and posts and posts[-1].number > (topic.read_number or 0):
        services.mark_read(user=viewer.user, topic=topic, number=posts[-1].number)
    may_reply = viewer.is_authenticated and can(viewer, "community.post", topic)
    # What the reader's view of a post depends on besides the post itself (part of each post's cache key).
    signed_in = viewer.is_authenticated
    read_number = topic.read_number or 0
    edit_since = timezone.now() - timedelta(minutes=rules.EDIT_WINDOW_MINUTES)
    for post in posts:
        post.new = signed_in and post.number > read_number  # nothing is marked new for visitors
        post.own = signed_in and post.author_id == viewer.pk
        post.editable = post.own and post.created_at > edit_since
    return render(
        request,
        "community/topic.html",
        {
            "topic": topic,
            "page": page,
            "posts": posts,
            "is_moderator": moderator,
            "may_reply": may_reply,
            "suspension": rules.active_suspension(viewer),
            "reply_form": ReplyForm() if may_reply else None,
            "move_form": MoveForm(initial={"category": topic.category_id}) if moderator else None,
        },
    )


@login_required
@require_POST
def topic_follow(request, pk):
    topic = queries.topic_for_user(request.viewer, pk)
    following = services.toggle_subscription(user=request.user, topic=topic)
    messages.success(
        request,
        _("You follow this topic: replies will be notified.")
        if following
        else _("You no longer follow this topic."),
    )
    return redirect(topic)


def _quote(post) -> str:
    """A post's text as a Markdown quote (and its author's @handle) to start a reply with."""
    member = getattr(post.author, "community_member", None) if post.author else None
    handle = member.handle if member is not None else ""
    quoted = "\n".join("> " + line for line in post.body.strip().splitlines())
    return f"{quoted}\n> — @{handle}\n\n" if handle else f"{quoted}\n\n"


@login_required
@require_http_methods(["GET", "POST"])
def reply(request, pk):
    topic = queries.topic_for_user(request.viewer, pk)
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                post = services.reply(topic=topic, author=request.user, body=form.cleaned_data["body"])
            except CommunityError as error:
                form.add_error(None, str(error))
            else:
                return redirect(post)
    else:
        initial = {}
        if request.GET.get("quote", "").isdigit():
            quoted = queries.post_for_user(request.viewer, int(request.GET["quote"]))
            if quoted.topic_id != topic.pk:
                raise Http404
            initial["body"] = _quote(quoted)
        form = ReplyForm(initial=initial)
    return render(
        request,
        "community/reply.html",
        {"form": form, "topic": topic, "suspension": rules.active_suspension(request.viewer)},
    )


def post(request, pk):
    """Permalink: the topic page that shows the post, scrolled to it."""
    post = queries.post_for_user(request.viewer, pk)
    before = queries.post_position(post=post, viewer=request.viewer)
    page = before // POSTS_PER_PAGE + 1
    url = reverse("community:topic", args=[post.topic_id])
    if page > 1:
        url += f"?page={page}"
    return redirect(f"{url}#post-{post.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = queries.post_for_user(request.viewer, pk)
    if not can(request.viewer, "community.edit_post", post):
        if post.author_id == request.user.pk:
            messages.error(request, _("The time to edit this post has passed."))
            return redirect(post)
        raise Http404
    initial = {"body": post.body, "title": post.topic.title}
    form = EditPostForm(request.POST or None, initial=initial)
    if post.number != 1:
        del form.fields["title"]
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(
                post=post,
                editor=request.user,
                body=form.cleaned_data["body"],
                title=form.cleaned_data.get("title"),
            )
        except CommunityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your post has been saved."))
            return redirect(post)
    return render(
        request, "community/post_edit.html", {"form": form, "post": post, "window": rules.EDIT_WINDOW_MINUTES}
    )


def post_history(request, pk):
    post = queries.post_for_user(request.viewer, pk)
    revisions = list(post.revisions.select_related("edited_by"))
    return render(request, "community/post_history.html", {"post": post, "revisions": revisions})


@login_required
@require_POST
def post_helpful(request, pk):
    post = queries.post_for_user(request.viewer, pk)
    try:
        marked = services.toggle_helpful(post=post, user=request.user)
    except CommunityError as error:
        messages.error(request, str(error))
        return redirect(post)
    if request.headers.get("HX-Request"):
        post.refresh_from_db(fields=["helpful_count"])
        post.marked = marked
        return render(request, "community/_helpful.html", {"post": post})
    return redirect(post)


@login_required
@require_http_methods(["GET", "POST"])
def post_flag(request, pk):
    post = queries.post_for_user(request.viewer, pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.flag_post(post=post, reporter=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Thank you. A moderator will look at this post."))
        return redirect(post)
    return render(request, "community/flag.html", {"form": form, "post": post})


def search(request):
    form = SearchForm(request.GET or None)
    page = None
    query = ""
    capped = False
    cap = queries.SEARCH_COUNT_CAP
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        paginator = queries.search_paginator(query=query, viewer=request.viewer, per_page=LIST_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        capped, cap = paginator.capped, paginator.cap
    return render(
        request,
        "community/search.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "querystring": urlencode({"q": query}),
            "capped": capped,
            "cap": cap,
        },
    )


@login_required
def notifications(request):
    page = page_of(request, queries.notifications_of(request.viewer), LIST_PER_PAGE * 2)
    return render(request, "community/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request):
    services.mark_notifications_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("community:notifications")


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(queries.notifications_of(request.viewer), pk=pk)
    services.mark_notifications_read(user=request.user, ids=[notification.pk])
    return redirect(
        notification.url
        if notification.url.startswith("/") and not notification.url.startswith("//")
        else "community:notifications"
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_settings(request):
    member = services.member_for(request.user)
    form = MemberSettingsForm(
        request.POST or None, initial={"handle": member.handle, "email_mode": member.email_mode}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_member_settings(member=member, **form.cleaned_data)
        except CommunityError as error:
            form.add_error("handle", str(error))
        else:
            messages.success(request, _("Your community settings have been saved."))
            return redirect("community:settings")
    blocked = queries.blocked_by(request.viewer)
    return render(request, "community/settings.html", {"form": form, "member": member, "blocked": blocked})
