"""HTML from the networks (Mastodon statuses, feed summaries, HN comments) turned into plain text.

Paragraphs and line breaks become newlines, entities are decoded, tags and scripts vanish.
Mastodon hides the scheme and tail of a link in `<span class="invisible">` and marks a cut with
`<span class="ellipsis">` ("example.com/long-pa…" on screen): such a link reads as its whole
address, which a terminal cannot otherwise show or follow.
A caller may name more classes to leave out (Mastodon's `quote-inline` fallback of a quote post).
Hacker News shows a long link as its first 60 characters and "..." (so does its API's HTML): a
link whose text is the start of its address and "..." reads as the whole address.
Nothing here is trusted: the result is plain text, cleaned again when it is stored.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre", "ul", "ol", "table"})
_SKIPPED = frozenset({"script", "style", "head", "title", "template", "noscript"})
_VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_MANY_BREAKS = re.compile(r"\n{3,}")


class _TextParser(HTMLParser):
    def __init__(self, hidden_classes: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden_classes = hidden_classes | {"invisible"}
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, hidden, ellipsis)
        # Open <a>: [href, where its text starts in parts, whether Mastodon shortened it].
        self.links: list[list] = []

    @property
    def hidden(self) -> bool:
        return any(hidden for _, hidden, _ in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
            return
        if tag in _BLOCKS:
            self.parts.append("\n\n" if tag in ("p", "blockquote") else "\n")
        if tag in _VOID:
            return
        if tag == "a":
            self.links.append([dict(attrs).get("href") or "", len(self.parts), False])
        classes = (dict(attrs).get("class") or "").split()
        if self.links and ("invisible" in classes or "ellipsis" in classes):
            self.links[-1][2] = True
        hidden = tag in _SKIPPED or not self.hidden_classes.isdisjoint(classes)
        self.stack.append((tag, hidden, "ellipsis" in classes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if tag == "a" and self.links:
            href, start, cut = self.links.pop()
            shown = "".join(self.parts[start:]).strip()
            if not self.hidden and ((cut and href.startswith(("http://", "https://"))) or _shortened(shown, href)):
                self.parts[start:] = [href]
        # Close up to the matching tag: forgives unclosed <li> and friends.
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                if self.stack[index][2] and not self.hidden:
                    self.parts.append("…")
                del self.stack[index:]
                break
        if tag in _BLOCKS:
            self.parts.append("\n\n" if tag in ("p", "blockquote") else "\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _shortened(shown: str, href: str) -> bool:
    """Whether a link's text is its address cut short with "..." (as Hacker News shows long links)."""
    head = shown.removesuffix("...")
    return head != shown and len(head) >= 10 and href.startswith(head) and href.startswith(("http://", "https://"))


def html_to_text(html: str | None, hide: frozenset[str] = frozenset()) -> str:
    """Plain text from an HTML fragment: never raises, never keeps a tag. Elements of a class in
    `hide` are left out with what they hold."""
    if not html:
        return ""
    parser = _TextParser(hide)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is lenient; this guards against the unforeseen
        return re.sub(r"<[^>]*>", " ", html)
    text = "".join(parser.parts)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_BREAKS.sub("\n\n", "\n".join(lines)).strip()
