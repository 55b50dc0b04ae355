from django.http import HttpResponse


def trivial(request):
    """A plain response with no template, database or session: the ceiling the load benchmark compares with."""
    return HttpResponse(b"ok", content_type="text/plain")
