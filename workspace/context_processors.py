from django.utils.functional import SimpleLazyObject

from workspace import providers


def work_header(request):
    """The header's links to a signed-in person's work (templates/core/_header.html): "My work" and what their roles
    open. Lazy: computed only when a page's header shows them, from the roles the header loads anyway (no query)."""
    viewer = getattr(request, "viewer", None)
    if viewer is None or not viewer.is_authenticated:
        return {"work_entries": ()}
    return {"work_entries": SimpleLazyObject(lambda: providers.header_entries(viewer))}
