from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.api import Region, reject_control_characters, validate_single_line
from community.models import (
    BODY_MAX,
    Area,
    Case,
    Category,
    EmailMode,
    Language,
    Mechanism,
    Opportunity,
    PractitionerKind,
    unpack,
)
from community.services.cases import CASE_FIELDS

MARKDOWN_HELP = _(
    "You can use Markdown: **bold**, *italic*, [link](https://…), > quote. Mention someone with @handle."
)


def _any(choices, label):
    return [("", label), *choices]


class BodyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Message"))
        kwargs.setdefault("max_length", BODY_MAX)
        kwargs.setdefault("help_text", MARKDOWN_HELP)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 8}))
        kwargs.setdefault("validators", [reject_control_characters])
        kwargs.setdefault("error_messages", {"required": _("Write your message.")})
        super().__init__(**kwargs)


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        min_length=5,
        validators=[validate_single_line],
        error_messages={"required": _("Give the topic a title.")},
    )
    body = BodyField()


class ReplyForm(forms.Form):
    body = BodyField(label=_("Your reply"))


class EditPostForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, min_length=5, validators=[validate_single_line], required=False
    )
    body = BodyField()


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_control_characters],
        error_messages={"required": _("Say briefly what is wrong with this post.")},
    )


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Move to"), queryset=Category.objects.order_by("position", "name_ka")
    )


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the person will see it)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_control_characters],
    )
    ends_at = forms.DateTimeField(
        label=_("Suspended until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )

    def clean_ends_at(self):
        value = self.cleaned_data["ends_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("The end of the suspension must be in the future."))
        return value


class MemberSettingsForm(forms.Form):
    handle = forms.RegexField(
        label=_("Handle"),
        regex=r"^@?[A-Za-z0-9_]{3,30}$",
        max_length=31,
        help_text=_("Others mention you with @handle. 3 to 30 Latin letters, digits or underscores."),
        error_messages={"invalid": _("A handle has 3 to 30 Latin letters, digits or underscores.")},
    )
    email_mode = forms.ChoiceField(
        label=_("Email me about notifications"), choices=EmailMode.choices, widget=forms.RadioSelect
    )


class PractitionerForm(forms.Form):
    kind = forms.ChoiceField(label=_("I am"), choices=PractitionerKind.choices)
    bio = forms.CharField(
        label=_("About me"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[reject_control_characters],
        help_text=_(
            "Your experience with participation: what you did, where, and what you can help with. Markdown."
        ),
    )
    expertise = forms.MultipleChoiceField(
        label=_("Areas of expertise"), choices=Area.choices, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions I know"), choices=Region.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )
    accepting_questions = forms.BooleanField(label=_("I accept questions now"), required=False)
    is_listed = forms.BooleanField(label=_("Show me in the directory"), required=False, initial=True)

    @staticmethod
    def initial_for(practitioner):
        if practitioner is None:
            return {"accepting_questions": True, "is_listed": True, "languages": ["ka"]}
        return {
            "kind": practitioner.kind,
            "bio": practitioner.bio,
            "expertise": unpack(practitioner.expertise),
            "regions": unpack(practitioner.regions),
            "languages": unpack(practitioner.languages),
            "accepting_questions": practitioner.accepting_questions,
            "is_listed": practitioner.is_listed,
        }


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or words"), required=False, max_length=100)
    expertise = forms.ChoiceField(
        label=_("Area of expertise"), choices=_any(Area.choices, _("Any area")), required=False
    )
    region = forms.ChoiceField(
        label=_("Region"), choices=_any(Region.choices, _("Any region")), required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=_any(Language.choices, _("Any language")), required=False
    )


class QuestionForm(forms.Form):
    title = forms.CharField(
        label=_("Your question in one line"),
        max_length=200,
        min_length=10,
        validators=[validate_single_line],
        error_messages={"required": _("Write your question.")},
    )
    body = forms.CharField(
        label=_("Details"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[reject_control_characters],
        help_text=_("Where are you, what have you tried, what exactly do you need to know? Markdown."),
        error_messages={
            "required": _("Describe your situation so the practitioner can give a concrete answer.")
        },
    )
    area = forms.ChoiceField(
        label=_("Topic"), choices=_any(Area.choices, _("Choose a topic")), required=False
    )

    def __init__(self, *args, to_pool: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.to_pool = to_pool
        if not to_pool:
            del self.fields["area"]
        else:
            self.fields["area"].required = True
            self.fields["area"].error_messages["required"] = _("Choose the topic of your question.")


class MessageForm(forms.Form):
    body = BodyField(label=_("Your message"), max_length=BODY_MAX, help_text=_("Markdown."))


class ThanksForm(forms.Form):
    thanks = forms.CharField(
        label=_("A word of thanks (optional)"),
        max_length=500,
        required=False,
        validators=[validate_single_line],
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[reject_control_characters],
        error_messages={"required": _("Say briefly what is wrong.")},
    )


class CaseForm(forms.ModelForm):
    attachment = forms.FileField(
        label=_("Add a file"), required=False, help_text=_("PDF, Word, OpenDocument, Excel or an image.")
    )

    class Meta:
        model = Case
        fields = list(CASE_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "what_happened": forms.Textarea(attrs={"rows": 8}),
            "outcome": forms.Textarea(attrs={"rows": 5}),
            "lessons": forms.Textarea(attrs={"rows": 5}),
            "links": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"what_happened": _("Markdown."), "outcome": _("Markdown."), "lessons": _("Markdown.")}

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 1991 <= year <= timezone.now().year:
            raise forms.ValidationError(_("Enter a year between 1991 and this year."))
        return year

    def clean_links(self):
        validate = URLValidator(schemes=["http", "https"])
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > 20:
            raise forms.ValidationError(_("At most 20 links."))
        for line in lines:
            try:
                validate(line)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(line)s” is not a web address starting with http:// or https://."),
                    params={"line": line[:100]},
                ) from None
        return "\n".join(lines)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    mechanism = forms.ChoiceField(
        label=_("Mechanism"), choices=_any(Mechanism.choices, _("Any mechanism")), required=False
    )
    region = forms.ChoiceField(
        label=_("Region"), choices=_any(Region.choices, _("Any region")), required=False
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the author"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OpportunityForm(forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = ["title", "organiser", "deadline", "link", "description"]
        widgets = {
            "deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"description": _("Markdown.")}

    def clean_link(self):
        link = self.cleaned_data["link"]
        URLValidator(schemes=["http", "https"])(link)
        return link


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the forum"), max_length=200, required=False)
