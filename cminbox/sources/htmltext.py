"""HTML a network sends (Mastodon's `content`, Reddit's `body_html`) turned into the plain text we store.

Paragraphs and line breaks survive, links become their text (Mastodon hides parts of long URLs in
`<span class="invisible">`: their text is kept, so the URL reads whole), mentions and hashtags read
as `@name` and `#tag`, entities are decoded, and nothing of the markup is left to interpret.
Built on the standard library's `html.parser`, which never fails on broken markup.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..textsafe import clean_text

# Elements that start and end a paragraph (a blank line around them).
_PARAGRAPHS = frozenset({"p", "div", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table"})
# Elements that end a line.
_LINES = frozenset({"li", "tr", "dt", "dd"})
# Elements whose content is never text for a reader.
_HIDDEN = frozenset({"script", "style", "template", "head", "title"})
# Void elements: no end tag, so they never open a hidden region.
_VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "wbr", "source", "area", "col", "embed"})

_SPACES = re.compile(r"[ \t\r\n\f]+")
_BREAK = "\x00"  # placeholder for a line break while spaces are folded (controls never survive clean_text)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0  # inside a hidden element (or one with a class we drop)
        self.hidden_stack: list[str] = []
        self.pre_depth = 0

    def _hides(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in _HIDDEN:
            return True
        classes = (dict(attrs).get("class") or "").split()
        # Mastodon's compatibility "RE: <link>" paragraph for quote posts: its web UI hides it too.
        return "quote-inline" in classes

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.hidden_depth:
            if tag not in _VOID and tag == self.hidden_stack[-1]:
                self.hidden_depth += 1
            return
        if tag not in _VOID and self._hides(tag, attrs):
            self.hidden_depth = 1
            self.hidden_stack.append(tag)
            return
        if tag == "br":
            self.parts.append(_BREAK)
        elif tag in _PARAGRAPHS:
            self.parts.append(_BREAK * 2)
            if tag == "pre":
                self.pre_depth += 1
        elif tag in _LINES:
            self.parts.append(_BREAK + ("- " if tag == "li" else ""))
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.hidden_depth:
            if tag == self.hidden_stack[-1]:
                self.hidden_depth -= 1
                if not self.hidden_depth:
                    self.hidden_stack.pop()
            return
        if tag in _PARAGRAPHS:
            self.parts.append(_BREAK * 2)
            if tag == "pre" and self.pre_depth:
                self.pre_depth -= 1
        elif tag in _LINES and tag != "li":  # a list item's line ends where the next one starts
            self.parts.append(_BREAK)

    def handle_data(self, data: str) -> None:
        if self.hidden_depth:
            return
        if self.pre_depth:
            self.parts.append(data.replace("\r\n", "\n").replace("\n", _BREAK))
        else:
            self.parts.append(_SPACES.sub(" ", data))


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment: paragraphs as blank lines, `<br>` as a line break, no markup."""
    if not html:
        return ""
    parser = _TextParser()
    parser.feed(_BREAK_SAFE.sub("", str(html)))
    parser.close()
    text = "".join(parser.parts)
    # Fold the spaces that HTML layout put around breaks, then at most one blank line in a row.
    text = re.sub(f" *{_BREAK} *", _BREAK, text)
    text = re.sub(f"{_BREAK}{{3,}}", _BREAK * 2, text)
    text = text.strip(" " + _BREAK).replace(_BREAK, "\n")
    return clean_text(text)


# A NUL in the input would be mistaken for our break marker: drop it first (it is never text).
_BREAK_SAFE = re.compile(_BREAK)
