"""Parse rendered HTML and list anything that could run script: dangerous tags, on* attributes, bad URLs."""

from html import unescape
from html.parser import HTMLParser

from tests.community.xss_corpus import DANGEROUS_URL_PREFIXES

# Tags a page's own template may use (forms) are checked in rendered Markdown only (``strict=True``).
BANNED_TAGS = {
    "script",
    "iframe",
    "svg",
    "object",
    "embed",
    "style",
    "meta",
    "base",
    "link",
    "math",
    "details",
    "video",
    "source",
    "marquee",
    "isindex",
    "body",
    "noscript",
}
FORM_TAGS = {"form", "input", "textarea", "button", "select"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "srcdoc",
    "background",
    "poster",
}


class _Collector(HTMLParser):
    def __init__(self, strict):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.banned = BANNED_TAGS | FORM_TAGS if strict else BANNED_TAGS

    def handle_starttag(self, tag, attrs):
        if tag in self.banned:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name == "style":
                self.problems.append(f"<{tag} style>")
            if name in URL_ATTRIBUTES and value:
                cleaned = "".join(unescape(value).split()).lower()
                if cleaned.startswith(DANGEROUS_URL_PREFIXES):
                    self.problems.append(f"<{tag} {name}={value[:40]}>")


def problems_in(fragment: str, *, strict: bool = False) -> list[str]:
    parser = _Collector(strict)
    parser.feed(fragment)
    parser.close()
    return parser.problems


def main_of(page: str) -> str:
    """The <main> element only: the layout's own <form>s and <script src> are not user content."""
    start = page.index('<main id="main"')
    return page[start : page.index("</main>", start)]
