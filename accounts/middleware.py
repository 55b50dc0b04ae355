from accounts.viewer import Viewer


class ViewerMiddleware:
    """Give every request ``request.viewer``: what the signed-in person (or visitor) may do, loaded on first use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.viewer = Viewer(request.user)
        return self.get_response(request)
