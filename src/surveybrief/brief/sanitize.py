"""Make the briefing's HTML inert: whatever a notebook displayed, nothing in it can run.

Every display path ends here (HTML outputs, styled tables, markdown cells and outputs, chart
labels): after nbconvert renders the briefing, the body is parsed, elements that run or embed
things (script, style, iframe, object, ...) are removed with their content, and an allow-list
keeps only document elements and harmless attributes. Images must be inline ``data:image``
URIs, links may only go to http(s), mail or in-page anchors, so no local file is ever embedded.
"""

from __future__ import annotations

import re

import bleach
from bs4 import BeautifulSoup

DROP_WITH_CONTENT = (
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "noscript",
    "template",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "link",
    "meta",
    "base",
)
ALLOWED_TAGS = {
    "a",
    "abbr",
    "aside",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "col",
    "colgroup",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
IMAGE_URI = re.compile(r"^data:image/(png|jpeg|gif|svg\+xml);base64,[A-Za-z0-9+/=\s]+$")
SAFE_LINK = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)
BODY = re.compile(r'(<main class="briefing">)(.*)(</main>)', re.S)


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in ("class", "id", "title"):
        return True
    if name == "lang":  # quotes keep the language they were written in
        return bool(re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", value))
    if tag == "img":
        return name == "alt" or (name == "src" and bool(IMAGE_URI.match(value)))
    if tag == "a":
        return name == "href" and bool(SAFE_LINK.match(value.strip()))
    if tag in ("th", "td"):
        return name in ("scope", "colspan", "rowspan")
    if tag == "div":  # a wide table's scrolling box: reachable by keyboard, named (present.py)
        return (name, value) in (("tabindex", "0"), ("role", "region")) or name == "aria-label"
    return False


def sanitize_fragment(html: str) -> str:
    """Return ``html`` with everything that could run, load or embed something removed."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(DROP_WITH_CONTENT):
        element.decompose()
    return bleach.clean(
        str(soup),
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=["http", "https", "mailto", "data"],
        strip=True,
        strip_comments=True,
    )


def sanitize_document(html: str) -> str:
    """Sanitize the body (``<main class="briefing">``) of a briefing rendered by our template."""
    match = BODY.search(html)
    if match is None:
        raise ValueError('briefing HTML has no <main class="briefing"> body')
    return html[: match.start(2)] + sanitize_fragment(match.group(2)) + html[match.end(2) :]
