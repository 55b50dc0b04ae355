from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from insights import queries


class FilterForm(forms.Form):
    """The dashboard's filters (GET): a period of the snapshot, a region, an organisation type."""

    period = forms.ChoiceField(label=_("Period"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Organisation type"), required=False)

    def __init__(self, *args, periods: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        every = pgettext_lazy("filter", "All")
        choices = {
            "period": [("", _("All time")), *((p, p) for p in periods)],
            "region": [("", every), *queries.region_choices()],
            "kind": [("", every), *queries.kind_choices()],
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = options

    def filters(self) -> queries.Filters:
        if not self.is_valid():
            return queries.Filters()
        data = self.cleaned_data
        return queries.Filters(period=data["period"], region=data["region"], kind=data["kind"])
