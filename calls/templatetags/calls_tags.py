from django import template

register = template.Library()


@register.filter
def applicant_status(application):
    from calls.views import applicant_status as label

    return label(application)


@register.filter
def get_item(mapping, key):
    return mapping.get(str(key), "") if mapping else ""
