"""Thin views: load through queries (404 to outsiders), check a rule, call a service, render."""

from __future__ import annotations

import functools
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import can, is_programme_staff, permission_required, require
from community import queries, rendering, rules, services
from community.forms import (
    CaseFilterForm,
    CaseForm,
    DirectoryFilterForm,
    EditPostForm,
    FlagForm,
    MemberSettingsForm,
    MessageForm,
    MoveForm,
    OpportunityForm,
    PractitionerForm,
    QuestionForm,
    ReplyForm,
    ReportForm,
    ReviewForm,
    SearchForm,
    SuspendForm,
    ThanksForm,
    TopicForm,
)
from community.models import (
    Area,
    Block,
    ModerationAction,
    Suspension,
)
from community.services import CommunityError

POSTS_PER_PAGE = 50
TOPICS_PER_PAGE = 30
LIST_PER_PAGE = 20


def _page(request, queryset, per_page):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _querystring(form) -> str:
    if not form.is_valid():
        return ""
    return urlencode({k: v for k, v in form.cleaned_data.items() if v})


# --- forum ------------------------------------------------------------------------------------------


def index(request):
    user = request.user
    categories = list(queries.categories(user))
    recent = list(queries.topics_for_listing(user=user)[:10])
    return render(
        request,
        "community/index.html",
        {
            "general": [c for c in categories if c.kind in ("general", "cases")],
            "regions": [c for c in categories if c.kind == "region"],
            "courses": [c for c in categories if c.kind == "course"],
            "recent": recent,
            "unread_notifications": queries.unread_notification_count(user),
            "search_form": SearchForm(),
        },
    )


def category(request, slug):
    category = queries.category_by_slug(slug)
    page = _page(request, queries.topics_for_listing(user=request.user, category=category), TOPICS_PER_PAGE)
    return render(
        request,
        "community/category.html",
        {
            "category": category,
            "page": page,
            "following": queries.is_following(user=request.user, category=category),
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
        {"form": form, "category": category, "suspension": rules.active_suspension(request.user)},
    )


def topic(request, pk):
    user = request.user
    topic = queries.topic_for_page(user, pk)
    moderator = rules.is_moderator(user)
    page = _topic_page(request, topic, user, moderator)
    posts = list(page.object_list)
    read_number = topic.read_number or 0
    if user.is_authenticated and posts and posts[-1].number > read_number:
        services.mark_read(user=user, topic=topic, number=posts[-1].number)
    edit_since = timezone.now() - timedelta(minutes=rules.EDIT_WINDOW_MINUTES)
    _prepare_posts(posts, user=user, read_number=read_number, edit_since=edit_since)
    may_reply = user.is_authenticated and can(user, "community.post", topic)
    urls = _topic_urls(topic)
    viewer = rendering.Viewer(
        authenticated=user.is_authenticated,
        is_moderator=moderator,
        may_reply=may_reply,
        quote_url=urls["reply"] + "?quote=",
        csrf_token=get_token(request) if user.is_authenticated else "",
    )
    context = (
        {"csrf_token": viewer.csrf_token} if viewer.csrf_token else {}
    )  # one masked token for the whole page
    return render(
        request,
        "community/topic.html",
        {
            **context,
            "topic": topic,
            "topic_urls": urls,
            "page": page,
            "posts_html": rendering.posts_html(posts, viewer),
            "read_number": read_number if user.is_authenticated else None,
            "following": topic.followed,
            "is_moderator": moderator,
            "may_reply": may_reply,
            "suspension": rules.active_suspension(user),
            "reply_form": _empty_reply_form() if may_reply else None,
            "move_form": MoveForm(initial={"category": topic.category_id}) if moderator else None,
        },
    )


def _topic_urls(topic) -> dict[str, str]:
    """The topic page's links and form actions: joined from patterns reversed once per language, and the forum's
    and the category's pages reversed once per language and category ({% url %} reversed each on every view)."""
    language = get_language()
    urls = {
        name: _UrlPattern(f"community:{name}", language)(topic.pk)
        for name in ("topic_follow", "topic_moderate", "reply")
    }
    prefix = get_script_prefix()
    urls["index"] = _reversed("community:index", (), language, prefix)
    urls["category"] = _reversed("community:category", (topic.category.slug,), language, prefix)
    return urls


@functools.lru_cache(maxsize=1024)
def _reversed(name: str, args: tuple, language: str | None, script_prefix: str) -> str:
    return reverse(name, args=args)


def _topic_page(request, topic, user, moderator):
    """The page of posts asked for. The first page of a topic that fits on one page (most topics) is one query of
    up to POSTS_PER_PAGE + 1 rows and needs no COUNT; otherwise the paginator counts, then the page is read."""
    number = request.GET.get("page", "")
    if number in ("", "1"):
        rows = queries.page_posts(topic=topic, user=user, moderator=moderator, limit=POSTS_PER_PAGE + 1)
        if len(rows) <= POSTS_PER_PAGE:
            return Paginator(rows, POSTS_PER_PAGE).page(1)
    page = Paginator(queries.posts_of_topic(topic=topic, user=user), POSTS_PER_PAGE).get_page(number)
    page.object_list = queries.page_posts(
        topic=topic,
        user=user,
        moderator=moderator,
        limit=POSTS_PER_PAGE,
        offset=(page.number - 1) * POSTS_PER_PAGE,
    )
    return page


@functools.lru_cache(maxsize=8)
def _empty_reply_form_html(language: str | None) -> str:
    return ReplyForm().as_div()


def _empty_reply_form():
    """The topic page's empty reply form, rendered once per language (it holds no per-request value)."""
    return _empty_reply_form_html(get_language())


class _UrlPattern:
    """A URL reversed once per language (and script prefix) with a marker id; each post's URL is then plain string
    joining."""

    MARKER = "987654321987654321"

    def __init__(self, name: str, language: str | None):
        self.prefix, self.suffix = _url_pattern(name, language, get_script_prefix())

    def __call__(self, pk) -> str:
        return f"{self.prefix}{pk}{self.suffix}"


@functools.lru_cache(maxsize=64)
def _url_pattern(name: str, language: str | None, script_prefix: str) -> tuple[str, str]:
    prefix, suffix = reverse(name, args=[int(_UrlPattern.MARKER)]).split(_UrlPattern.MARKER)
    return prefix, suffix


def _prepare_posts(posts, *, user, read_number: int, edit_since) -> None:
    """Work out once per page, in Python, what the template would otherwise look up or reverse for each post:
    whose post it is, the author's handle, whether it is new to the reader, and the URLs of its actions."""
    user_id = user.pk if user.is_authenticated else None
    language = get_language()
    link, helpful, edit, flag, moderate, history, suspend = (
        _UrlPattern(f"community:{name}", language)
        for name in (
            "post",
            "post_helpful",
            "post_edit",
            "post_flag",
            "post_moderate",
            "post_history",
            "suspend",
        )
    )
    for post in posts:
        author = post.author
        member = getattr(author, "community_member", None) if author is not None else None
        post.author_handle = member.handle if member is not None else ""
        post.mine = user_id is not None and post.author_id == user_id
        post.is_new = user_id is not None and post.number > read_number
        post.may_edit = post.mine and post.created_at > edit_since
        pk = post.pk
        post.link_url = link(pk)
        post.helpful_url = helpful(pk)
        post.edit_url = edit(pk)
        post.flag_url = flag(pk)
        post.moderate_url = moderate(pk)
        post.history_url = history(pk)
        post.suspend_url = suspend(post.author_id) if post.author_id else ""
        post.helpful_label = _helpful_label_in(post.helpful_count, language)


@functools.lru_cache(maxsize=512)
def _helpful_label_in(count: int, language: str | None) -> str:
    return ngettext("%(counter)s found this helpful", "%(counter)s found this helpful", count) % {
        "counter": count
    }


def _helpful_label(count: int) -> str:
    """ "N found this helpful", translated once per count and language (it was a tenth of the page's calls)."""
    return _helpful_label_in(count, get_language())


@login_required
@require_POST
def topic_follow(request, pk):
    topic = queries.topic_for_user(request.user, pk)
    following = services.toggle_subscription(user=request.user, topic=topic)
    messages.success(
        request,
        _("You follow this topic: replies will be notified.")
        if following
        else _("You no longer follow this topic."),
    )
    return redirect(topic)


def _quote(post) -> str:
    handle = getattr(getattr(post.author, "community_member", None), "handle", "") if post.author else ""
    quoted = "\n".join("> " + line for line in post.body.strip().splitlines())
    return f"{quoted}\n> — @{handle}\n\n" if handle else f"{quoted}\n\n"


@login_required
@require_http_methods(["GET", "POST"])
def reply(request, pk):
    topic = queries.topic_for_user(request.user, pk)
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
            quoted = queries.post_for_user(request.user, int(request.GET["quote"]))
            if quoted.topic_id != topic.pk:
                raise Http404
            initial["body"] = _quote(quoted)
        form = ReplyForm(initial=initial)
    return render(
        request,
        "community/reply.html",
        {"form": form, "topic": topic, "suspension": rules.active_suspension(request.user)},
    )


def post(request, pk):
    """Permalink: the topic page that shows the post, scrolled to it."""
    post = queries.post_for_user(request.user, pk)
    before = queries.post_position(post=post, user=request.user)
    page = before // POSTS_PER_PAGE + 1
    url = reverse("community:topic", args=[post.topic_id])
    if page > 1:
        url += f"?page={page}"
    return redirect(f"{url}#post-{post.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = queries.post_for_user(request.user, pk)
    if not can(request.user, "community.edit_post", post):
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
    post = queries.post_for_user(request.user, pk)
    revisions = list(post.revisions.select_related("edited_by"))
    return render(request, "community/post_history.html", {"post": post, "revisions": revisions})


@login_required
@require_POST
def post_helpful(request, pk):
    post = queries.post_for_user(request.user, pk)
    try:
        marked = services.toggle_helpful(post=post, user=request.user)
    except CommunityError as error:
        messages.error(request, str(error))
        return redirect(post)
    post.refresh_from_db(fields=["helpful_count"])
    post.marked = marked
    post.helpful_url = reverse("community:post_helpful", args=[post.pk])
    post.helpful_label = _helpful_label(post.helpful_count)
    if request.headers.get("HX-Request"):
        return render(request, "community/_helpful.html", {"post": post})
    return redirect(post)


@login_required
@require_http_methods(["GET", "POST"])
def post_flag(request, pk):
    post = queries.post_for_user(request.user, pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.flag_post(post=post, reporter=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Thank you. A moderator will look at this post."))
        return redirect(post)
    return render(request, "community/flag.html", {"form": form, "post": post})


# --- moderation -------------------------------------------------------------------------------------


@login_required
@require_POST
def post_moderate(request, pk):
    queries.require_moderator(request.user)
    post = queries.post_for_user(request.user, pk)
    try:
        services.moderate_post(
            post=post,
            moderator=request.user,
            action=request.POST.get("action", ""),
            note=request.POST.get("note", "")[:1000],
        )
    except CommunityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done. The act is in the moderation log."))
    if request.POST.get("next") == "queue":
        return redirect("community:moderation")
    return redirect(post)


@login_required
@require_POST
def topic_moderate(request, pk):
    queries.require_moderator(request.user)
    topic = queries.topic_for_user(request.user, pk)
    action = request.POST.get("action", "")
    category = None
    if action == ModerationAction.MOVE:
        form = MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose another category to move the topic to."))
            return redirect(topic)
        category = form.cleaned_data["category"]
    try:
        services.moderate_topic(topic=topic, moderator=request.user, action=action, category=category)
    except CommunityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done. The act is in the moderation log."))
    return redirect(topic)


@login_required
def moderation(request):
    queries.require_moderator(request.user)
    flags = list(queries.open_flags()[:200])
    grouped: dict[int, dict] = {}
    for flag in flags:
        grouped.setdefault(flag.post_id, {"post": flag.post, "flags": []})["flags"].append(flag)
    return render(
        request,
        "community/moderation.html",
        {
            "flagged": list(grouped.values()),
            "reports": list(queries.open_question_reports()[:100]),
            "suspensions": list(
                Suspension.objects.filter(lifted_at__isnull=True, ends_at__gt=timezone.now()).select_related(
                    "user", "created_by"
                )
            ),
        },
    )


@login_required
def moderation_log(request):
    queries.require_moderator(request.user)
    return render(
        request,
        "community/moderation_log.html",
        {"page": _page(request, queries.moderation_log(), LIST_PER_PAGE * 2)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def suspend(request, user_id):
    queries.require_moderator(request.user)
    person = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    form = SuspendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suspend(user=person, moderator=request.user, **form.cleaned_data)
        except CommunityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(name)s cannot post until the date you chose.") % {"name": person.display_name}
            )
            return redirect("community:moderation")
    return render(request, "community/suspend.html", {"form": form, "person": person})


@login_required
@require_POST
def lift_suspension(request, pk):
    queries.require_moderator(request.user)
    suspension = get_object_or_404(Suspension, pk=pk)
    services.lift_suspension(suspension=suspension, moderator=request.user)
    messages.success(request, _("The suspension has been lifted."))
    return redirect("community:moderation")


@login_required
@require_POST
def resolve_report(request, pk):
    queries.require_moderator(request.user)
    report = get_object_or_404(queries.open_question_reports(), pk=pk)
    services.resolve_question_report(
        report=report, moderator=request.user, note=request.POST.get("note", "")[:1000]
    )
    messages.success(request, _("Done. The act is in the moderation log."))
    return redirect("community:moderation")


# --- search, notifications, settings ----------------------------------------------------------------


def search(request):
    form = SearchForm(request.GET or None)
    page = None
    query = ""
    capped = False
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        paginator = queries.search_paginator(query=query, user=request.user, per_page=LIST_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        capped = paginator.capped
    return render(
        request,
        "community/search.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "querystring": urlencode({"q": query}),
            "capped": capped,
            "cap": queries.SEARCH_COUNT_CAP,
        },
    )


@login_required
def notifications(request):
    page = _page(request, queries.notifications_of(request.user), LIST_PER_PAGE * 2)
    return render(request, "community/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request):
    services.mark_notifications_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("community:notifications")


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(queries.notifications_of(request.user), pk=pk)
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
    blocked = Block.objects.filter(blocker=request.user).select_related("blocked")
    return render(request, "community/settings.html", {"form": form, "member": member, "blocked": blocked})


# --- practitioners ----------------------------------------------------------------------------------


def practitioners(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.directory(
        expertise=filters.get("expertise", ""),
        region=filters.get("region", ""),
        language=filters.get("language", ""),
        query=filters.get("q", ""),
    )
    return render(
        request,
        "community/practitioners.html",
        {
            "form": form,
            "page": _page(request, qs, LIST_PER_PAGE),
            "querystring": _querystring(form),
            "me": queries.practitioner_of(request.user),
        },
    )


def practitioner(request, pk):
    practitioner = queries.practitioner_by_pk(pk)
    answered = practitioner.questions.filter(published_at__isnull=False).order_by("-published_at")[:10]
    return render(
        request, "community/practitioner.html", {"practitioner": practitioner, "answered": answered}
    )


@login_required
@require_http_methods(["GET", "POST"])
def practitioner_join(request):
    current = queries.practitioner_of(request.user)
    form = PractitionerForm(request.POST or None, initial=PractitionerForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        practitioner = services.save_practitioner(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your practitioner profile has been saved."))
        return redirect(practitioner)
    return render(request, "community/practitioner_form.html", {"form": form, "current": current})


@login_required
@require_http_methods(["GET", "POST"])
def ask(request):
    to = request.GET.get("to") or request.POST.get("to") or ""
    target = queries.practitioner_by_pk(int(to)) if to.isdigit() else None
    form = QuestionForm(
        request.POST or None, to_pool=target is None, initial={"area": request.GET.get("area", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            question = services.ask_question(
                asker=request.user,
                practitioner=target,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                area=form.cleaned_data.get("area", ""),
            )
        except CommunityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your question has been sent. You will be notified when it is answered.")
            )
            return redirect(question)
    return render(
        request,
        "community/ask.html",
        {"form": form, "target": target, "suspension": rules.active_suspension(request.user)},
    )


@login_required
def questions(request):
    me = queries.practitioner_of(request.user)
    return render(
        request,
        "community/questions.html",
        {
            "asked": _page(request, queries.questions_asked_by(request.user), LIST_PER_PAGE),
            "received": list(queries.questions_for_practitioner(me)[:50]) if me else None,
            "me": me,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def question(request, pk):
    question = queries.question_for_user(request.user, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_question_message(
                question=question, author=request.user, body=form.cleaned_data["body"]
            )
        except CommunityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect(question)
    user = request.user
    is_asker = question.asker_id == user.pk
    is_answerer = question.practitioner is not None and question.practitioner.user_id == user.pk
    other = (
        question.practitioner.user
        if is_asker and question.practitioner
        else (question.asker if not is_asker else None)
    )
    return render(
        request,
        "community/question.html",
        {
            "question": question,
            "thread": list(question.messages.select_related("author")),
            "form": form,
            "is_asker": is_asker,
            "is_answerer": is_answerer,
            "may_write": is_asker
            or is_answerer
            or (question.to_pool and question.practitioner_id is None and rules.is_practitioner(user)),
            "other": other,
            "blocked": other is not None and Block.objects.filter(blocker=user, blocked=other).exists(),
            "thanks_form": ThanksForm(),
            "area_label": dict(Area.choices).get(question.area, ""),
        },
    )


@login_required
@require_POST
def question_act(request, pk):
    question = queries.question_for_user(request.user, pk)
    form = ThanksForm(request.POST)
    thanks = form.cleaned_data["thanks"] if form.is_valid() else ""
    try:
        services.change_question(
            question=question, user=request.user, action=request.POST.get("action", ""), thanks=thanks
        )
    except CommunityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The question has been updated."))
    return redirect(question)


@login_required
@require_http_methods(["GET", "POST"])
def question_report(request, pk):
    question = queries.question_for_user(request.user, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_question(question=question, reporter=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Thank you. A moderator will look at your report."))
        return redirect(question)
    return render(request, "community/report.html", {"form": form, "question": question})


@login_required
@require_POST
def block_user(request, user_id):
    person = get_object_or_404(get_user_model(), pk=user_id)
    if request.POST.get("action") == "unblock":
        services.unblock(blocker=request.user, blocked=person)
        messages.success(request, _("You unblocked %(name)s.") % {"name": person.display_name})
    else:
        try:
            services.block(blocker=request.user, blocked=person)
        except CommunityError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("You blocked %(name)s: they cannot ask you or write to you.")
                % {"name": person.display_name},
            )
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else "community:settings")


def qa_list(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "community/qa_list.html",
        {
            "form": form,
            "page": _page(request, queries.published_questions(query), LIST_PER_PAGE),
            "querystring": urlencode({"q": query}) if query else "",
        },
    )


def qa_detail(request, pk):
    question = queries.published_question(pk)
    return render(
        request,
        "community/qa_detail.html",
        {"question": question, "thread": list(question.messages.select_related("author"))},
    )


# --- cases ------------------------------------------------------------------------------------------


def cases(request):
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.published_cases(
        mechanism=filters.get("mechanism", ""), region=filters.get("region", ""), query=filters.get("q", "")
    )
    user = request.user
    return render(
        request,
        "community/cases.html",
        {
            "form": form,
            "page": _page(request, qs, LIST_PER_PAGE),
            "querystring": _querystring(form),
            "may_write": user.is_authenticated and can(user, "community.write_case"),
            "mine": list(queries.cases_by(user)) if user.is_authenticated else [],
            "waiting": list(queries.cases_waiting_for_review()) if is_programme_staff(user) else [],
        },
    )


def case(request, slug):
    case = queries.case_for_user(request.user, slug)
    user = request.user
    return render(
        request,
        "community/case.html",
        {
            "case": case,
            "files": list(case.files.all()),
            "may_edit": user.is_authenticated and can(user, "community.edit_case", case),
            "may_review": user.is_authenticated and can(user, "community.review_case", case),
            "review_form": ReviewForm(),
        },
    )


def _save_case_form(request, form, case=None):
    upload = form.cleaned_data.pop("attachment", None)
    saved = services.save_case(author=request.user, case=case, **form.cleaned_data)
    if upload:
        try:
            services.add_case_file(case=saved, upload=upload, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return saved


@login_required
@permission_required("community.write_case")
@require_http_methods(["GET", "POST"])
def case_new(request):
    form = CaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        case = _save_case_form(request, form)
        messages.success(
            request, _("The case has been saved as a draft. Submit it for review when it is ready.")
        )
        return redirect(case)
    return render(request, "community/case_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, slug):
    case = queries.case_for_editor(request.user, slug)
    form = CaseForm(request.POST or None, request.FILES or None, instance=case)
    if request.method == "POST" and form.is_valid():
        _save_case_form(request, form, case=case)
        messages.success(request, _("The case has been saved."))
        return redirect(case)
    return render(
        request, "community/case_form.html", {"form": form, "case": case, "files": list(case.files.all())}
    )


@login_required
@require_POST
def case_action(request, slug):
    case = queries.case_for_user(request.user, slug)
    action = request.POST.get("action", "")
    if action == "submit":
        require(request.user, "community.edit_case", case)
    else:
        require(request.user, "community.review_case", case)
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.change_case(case=case, user=request.user, action=action, note=note)
    except CommunityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The case has been updated."))
    return redirect(case)


def case_file(request, slug, file_id):
    case = queries.case_for_user(request.user, slug)
    attachment = get_object_or_404(case.files, pk=file_id)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- opportunities ----------------------------------------------------------------------------------


def opportunities(request):
    return render(
        request,
        "community/opportunities.html",
        {
            "page": _page(request, queries.current_opportunities(), LIST_PER_PAGE),
            "archive": False,
            "may_manage": request.user.is_authenticated
            and can(request.user, "community.manage_opportunities"),
        },
    )


def opportunities_archive(request):
    return render(
        request,
        "community/opportunities.html",
        {
            "page": _page(request, queries.archived_opportunities(), LIST_PER_PAGE),
            "archive": True,
            "may_manage": False,
        },
    )


def opportunity(request, pk):
    opportunity = queries.opportunity_by_pk(pk)
    return render(
        request,
        "community/opportunity.html",
        {
            "opportunity": opportunity,
            "may_manage": request.user.is_authenticated
            and can(request.user, "community.manage_opportunities"),
        },
    )


@login_required
@permission_required("community.manage_opportunities")
@require_http_methods(["GET", "POST"])
def opportunity_new(request):
    form = OpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        opportunity = form.save(commit=False)
        opportunity.created_by = request.user
        opportunity.save()
        messages.success(request, _("The opportunity has been published."))
        return redirect(opportunity)
    return render(request, "community/opportunity_form.html", {"form": form})


@login_required
@permission_required("community.manage_opportunities")
@require_http_methods(["GET", "POST"])
def opportunity_edit(request, pk):
    opportunity = queries.opportunity_by_pk(pk)
    form = OpportunityForm(request.POST or None, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The opportunity has been saved."))
        return redirect(opportunity)
    return render(request, "community/opportunity_form.html", {"form": form, "opportunity": opportunity})
