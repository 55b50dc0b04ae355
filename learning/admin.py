"""Authoring in the admin: course → modules, module → lessons, lesson → questions and files, question → choices.

Every inline has a "position" column: change the numbers to reorder (lowest first); rows are shown in
that order. Creating a course here tells other domains through ``services.announce_course_created``.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from learning import services
from learning.models import (
    Attachment,
    Choice,
    Course,
    Enrolment,
    Lesson,
    Module,
    Question,
    QuizAttempt,
    Topic,
)


class EditLink:
    @admin.display(description=_("edit"))
    def edit_link(self, obj):
        if not obj.pk:
            return ""
        url = reverse(f"admin:learning_{obj._meta.model_name}_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("open"))


class ModuleInline(EditLink, admin.TabularInline):
    model = Module
    extra = 1
    fields = ["position", "title", "edit_link"]
    readonly_fields = ["edit_link"]
    ordering = ["position", "pk"]


class LessonInline(EditLink, admin.TabularInline):
    model = Lesson
    extra = 1
    fields = ["position", "title", "slug", "kind", "required", "edit_link"]
    readonly_fields = ["edit_link"]
    ordering = ["position", "pk"]
    prepopulated_fields = {"slug": ("title",)}


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["position", "title", "file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            from core.api import safe_filename, validate_upload

            validate_upload(upload, kinds=services.ATTACHMENT_KINDS)
            upload.name = safe_filename(upload.name)
        return upload

    def save(self, commit=True):
        attachment = super().save(commit=False)
        if attachment.file:
            attachment.size = attachment.file.size
        if commit:
            attachment.save()
        return attachment


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 0
    ordering = ["position", "pk"]


class QuestionInline(EditLink, admin.StackedInline):
    model = Question
    extra = 0
    fields = [
        "position",
        "kind",
        "prompt",
        "points",
        "correct_bool",
        "numeric_answer",
        "tolerance",
        "accepted_answers",
        "explanation",
        "edit_link",
    ]
    readonly_fields = ["edit_link"]
    ordering = ["position", "pk"]
    show_change_link = True


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 2
    fields = ["position", "text", "is_correct", "feedback"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}
    ordering = ["position", "pk"]


class CatalogueChangeMixin:
    """Saving or deleting here changes what the public catalogue shows: refresh its cached pages."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.saved(request, obj, form, change)

    def saved(self, request, obj, form, change):
        services.catalogue_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.catalogue_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.catalogue_changed()


@admin.register(Topic)
class TopicAdmin(CatalogueChangeMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Course)
class CourseAdmin(CatalogueChangeMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "language", "level", "published", "updated_at"]
    list_filter = ["published", "language", "level", "topics"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ["topics", "prerequisites"]
    inlines = [ModuleInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "summary", "description", "published"]}),
        (_("Details"), {"fields": ["level", "estimated_hours", "topics", "instructors", "prerequisites"]}),
    ]

    actions = ["publish", "unpublish"]

    def saved(self, request, obj, form, change):
        services.course_saved(
            course=obj,
            created=not change,
            actor=request.user,
            published_changed="published" in form.changed_data,
        )

    @admin.action(description=_("Publish the selected courses"))
    def publish(self, request, queryset):
        changed = sum(
            services.set_published(course=course, published=True, actor=request.user) for course in queryset
        )
        self.message_user(
            request,
            ngettext("%(count)d course published.", "%(count)d courses published.", changed)
            % {"count": changed},
        )

    @admin.action(description=_("Unpublish the selected courses"))
    def unpublish(self, request, queryset):
        changed = sum(
            services.set_published(course=course, published=False, actor=request.user) for course in queryset
        )
        self.message_user(
            request,
            ngettext("%(count)d course unpublished.", "%(count)d courses unpublished.", changed)
            % {"count": changed},
        )


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "position"]
    list_filter = ["course"]
    search_fields = ["title", "course__title"]
    list_select_related = ["course"]
    inlines = [LessonInline]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if isinstance(instance, Lesson):
                instance.course_id = form.instance.course_id
            instance.save()
        formset.save_m2m()


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "module", "kind", "position"]
    list_filter = ["kind", "course"]
    search_fields = ["title", "course__title"]
    list_select_related = ["course", "module"]
    inlines = [QuestionInline, AttachmentInline]
    fieldsets = [
        (None, {"fields": ["module", "position", "title", "slug", "kind", "required", "body"]}),
        (_("Video"), {"fields": ["video_url", "transcript"]}),
        (_("Quiz settings"), {"fields": ["pass_score", "max_attempts", "shuffle"]}),
    ]
    prepopulated_fields = {"slug": ("title",)}

    def save_model(self, request, obj, form, change):
        obj.course_id = obj.module.course_id
        super().save_model(request, obj, form, change)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "lesson", "kind", "position"]
    list_filter = ["kind"]
    search_fields = ["prompt"]
    list_select_related = ["lesson"]
    inlines = [ChoiceInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "active", "enrolled_at", "completed_at"]
    list_filter = ["active", "course"]
    search_fields = ["user__email", "course__title"]
    list_select_related = ["user", "course"]
    readonly_fields = ["user", "course", "enrolled_at", "completed_at", "last_lesson"]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(admin.ModelAdmin):
    list_display = ["user", "lesson", "number", "score", "passed", "submitted_at"]
    list_filter = ["passed"]
    search_fields = ["user__email", "lesson__title"]
    list_select_related = ["user", "lesson"]
    readonly_fields = ["user", "lesson", "number", "score", "passed", "answers", "results", "submitted_at"]
