from django import forms
from django.utils.translation import gettext_lazy as _

from learning.models import Language, Level, Topic


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *Language.choices]
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Any level")), *Level.choices]
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Any topic"))] + [(t.slug, t.name) for t in topics]
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("for example: ბიუჯეტი")})

    def cleaned(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


__all__ = ["CatalogueFilterForm", "Topic"]
