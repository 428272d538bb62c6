"""The saved-replies library: a folder of plain files, one reply each, that a team can keep in git.

A reply file is Markdown with a TOML front matter block between `+++` lines (as Hugo and Zola
write it), read with the standard library's `tomllib`:

    +++
    title = "Retard de livraison : on s'en occupe"
    lang = "fr"
    tone = "vous"
    tags = ["livraison", "retard"]
    networks = ["facebook", "instagram"]
    +++
    Bonjour {first_name}, …

`replies/README.md` documents every field. A broken file is reported with its name, its line
and the reason, and the rest of the library still loads.

The repo's `replies/` folder is the starter set. An installed cminbox carries it inside the
package (`cminbox/starter_replies/`, put there by the build hook in `setup.py`); a checkout
reads the repo's folder directly.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Final

from ..models import NETWORKS
from ..textsafe import clean_line, clean_text

FENCE: Final = "+++"
FIELDS: Final = ("title", "lang", "tone", "tags", "networks", "workspaces", "key", "ask")
TONES: Final = ("tu", "vous")
_KEY: Final = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")
_LANG: Final = re.compile(r"^[a-z]{2}$")
_PLACEHOLDER_NAME: Final = re.compile(r"^[a-z][a-z0-9_]*$")
_LINE_IN_ERROR: Final = re.compile(r"\(at line (\d+), column (\d+)\)")
# Files in a library folder that are not replies.
_SKIPPED_NAMES: Final = {"readme.md", "license.md", "changelog.md"}
MAX_FILE_BYTES: Final = 200_000


@dataclass(frozen=True, slots=True)
class SavedReply:
    key: str
    title: str
    body: str
    lang: str | None = None  # None: any language
    tone: str | None = None  # "tu" or "vous" (French replies)
    tags: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()  # empty: every network
    workspaces: tuple[str, ...] = ()  # the brands (workspace short names) it is for; empty: every brand
    ask: dict[str, str] = field(default_factory=dict)  # extra placeholders -> the question asked
    path: Path | None = None
    origin: str = "user"  # "user" or "starter"
    body_line: int = 1  # the file line where the body starts (for problems)

    @property
    def crisis(self) -> bool:
        return "crisis" in self.tags

    def suits(self, *, lang: str | None, network: str | None, tone: str | None = None) -> bool:
        """Whether this reply is meant for a message in `lang` on `network` (None: anything)."""
        if lang and lang != "und" and self.lang and self.lang != lang:
            return False
        if network and self.networks and network not in self.networks:
            return False
        if tone and self.tone and self.tone != tone:
            return False
        return True

    def for_workspace(self, slug: str | None) -> bool:
        """Whether this reply may be offered in workspace `slug`: one written for a brand never
        shows in another's picker, whatever the picker's filters (None: no workspace known)."""
        return not self.workspaces or slug is None or slug in self.workspaces

    def line_of(self, offset: int) -> int:
        """The file line of a character offset in the body."""
        return self.body_line + self.body.count("\n", 0, offset)


@dataclass(frozen=True, slots=True)
class Problem:
    path: Path | None
    line: int | None
    message: str

    def __str__(self) -> str:
        where = str(self.path) if self.path else "reply"
        if self.line:
            where += f":{self.line}"
        return f"{where}: {self.message}"


@dataclass(slots=True)
class Library:
    replies: list[SavedReply]
    problems: list[Problem]
    folder: Path | None  # the user's folder: where new replies are saved
    starter: bool = False  # True while the user's folder does not exist: the starter set is shown

    def by_key(self, key: str) -> SavedReply | None:
        for reply in self.replies:
            if reply.key == key:
                return reply
        return None


class ReplyFileError(ValueError):
    def __init__(self, line: int | None, message: str, more: tuple[ReplyFileError, ...] = ()) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.more = more  # the file's other problems, so that one run of `replies check` names them all


# -- reading -------------------------------------------------------------------------------


def parse_reply(text: str, *, path: Path | None = None, origin: str = "user") -> SavedReply:
    """One reply file's text as a `SavedReply`; raises `ReplyFileError` (with a line) if unusable."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise ReplyFileError(1, f"the file must start with a {FENCE} line, then the front matter (title, lang, tags…), then {FENCE}")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise ReplyFileError(1, f"the front matter opened on line 1 is never closed: add a {FENCE} line after it") from None
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _LINE_IN_ERROR.search(message)
        line = int(found.group(1)) + 1 if found else None
        message = _LINE_IN_ERROR.sub("", message).strip()
        raise ReplyFileError(line, f"front matter is not valid TOML: {message}") from None

    def where(name: str) -> int:
        for i in range(1, end):
            if re.match(rf"\s*{re.escape(name)}\s*=|\s*\[{re.escape(name)}\]", lines[i]):
                return i + 1
        return 1

    problems: list[ReplyFileError] = []

    def fail(line: int | None, message: str) -> None:
        problems.append(ReplyFileError(line, message))

    for name in meta:
        if name not in FIELDS:
            fail(where(name), f"unknown field {name!r} (fields: {', '.join(FIELDS)})")
    title = meta.get("title")
    if not isinstance(title, str) or not clean_line(title):
        fail(where("title") if "title" in meta else 1, 'every reply needs a title, e.g. title = "Delivery delay"')
        title = ""
    lang = meta.get("lang")
    if lang is not None and (not isinstance(lang, str) or not _LANG.match(lang)):
        fail(where("lang"), 'lang is a two-letter language code: "fr", "en"…')
    tone = meta.get("tone")
    if tone is not None and tone not in TONES:
        fail(where("tone"), 'tone is "tu" or "vous"')
    tags = _strings(meta, "tags", where, fail)
    networks = _strings(meta, "networks", where, fail)
    workspaces = [w.strip() for w in _strings(meta, "workspaces", where, fail) if w.strip()]
    unknown = [n for n in networks if n not in NETWORKS]
    if unknown:
        known = ", ".join(n for n in NETWORKS if n not in ("rss", "import", "demo"))
        fail(where("networks"), f"unknown network {unknown[0]!r} (known: {known})")
    key = meta.get("key")
    if key is None:
        key = slugify(path.stem) if path is not None else slugify(title or "reply")
    elif not isinstance(key, str) or not _KEY.match(key):
        fail(where("key"), "key is lowercase letters, digits, - or _ (it names the reply in usage counts)")
    ask = meta.get("ask", {})
    if not isinstance(ask, dict) or not all(isinstance(v, str) for v in ask.values()):
        fail(where("ask"), 'ask maps a placeholder to the question asked for it: [ask] then link = "Link to the FAQ page"')
        ask = {}
    for name in ask:
        if not _PLACEHOLDER_NAME.match(name):
            fail(where("ask"), f"{name!r} cannot be a placeholder name: lowercase letters, digits and _")
    body = clean_text("\n".join(lines[end + 1 :])).strip("\n")
    if not body.strip():
        fail(end + 2, "the reply has no text after the front matter")
    if problems:
        first, *more = problems
        raise ReplyFileError(first.line, first.message, tuple(more))
    return SavedReply(
        key=key,
        title=clean_line(title),
        body=body,
        lang=lang,
        tone=tone,
        tags=tuple(t.strip().lower() for t in tags if t.strip()),
        networks=tuple(networks),
        workspaces=tuple(workspaces),
        ask={name: clean_line(question) for name, question in ask.items()},
        path=path,
        origin=origin,
        body_line=end + 2,
    )


def _strings(meta: dict, name: str, where, fail) -> list[str]:
    value = meta.get(name, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        fail(where(name), f'{name} is a list of words, e.g. {name} = ["a", "b"]')
        return []
    return value


def reply_files(folder: Path) -> list[Path]:
    """The reply files of a folder and its subfolders (hidden folders and READMEs skipped)."""
    out = []
    for path in sorted(folder.rglob("*.md")):
        relative = path.relative_to(folder)
        if any(part.startswith((".", "_")) for part in relative.parts) or path.name.lower() in _SKIPPED_NAMES:
            continue
        out.append(path)
    return out


def load_folder(folder: Path, *, origin: str = "user") -> tuple[list[SavedReply], list[Problem]]:
    replies: list[SavedReply] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    try:
        files = reply_files(folder)
    except OSError as error:
        return [], [Problem(folder, None, f"cannot read the folder ({error.strerror or error})")]
    for path in files:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                problems.append(Problem(path, None, f"file is larger than {MAX_FILE_BYTES // 1000} kB: not a reply"))
                continue
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(path, None, "not UTF-8 text: save it as UTF-8"))
            continue
        except OSError as error:
            problems.append(Problem(path, None, f"cannot read it ({error.strerror or error})"))
            continue
        try:
            reply = parse_reply(text, path=path, origin=origin)
        except ReplyFileError as error:
            problems.extend(Problem(path, e.line, e.message) for e in (error, *error.more))
            continue
        if reply.key in seen:
            problems.append(Problem(path, None, f"key {reply.key!r} is already used by {seen[reply.key]}: give one of them another key"))
            continue
        seen[reply.key] = path
        replies.append(reply)
    return replies, problems


def load_library(user_folder: Path) -> Library:
    """The user's library; while their folder does not exist, the starter set (read-only)."""
    if user_folder.is_dir():
        replies, problems = load_folder(user_folder, origin="user")
        return Library(replies, problems, user_folder, starter=False)
    starter = starter_dir()
    replies, problems = load_folder(starter, origin="starter") if starter else ([], [])
    return Library(replies, problems, user_folder, starter=True)


# -- the starter set -----------------------------------------------------------------------


def starter_dir() -> Path | None:
    """Where the starter replies are: inside the installed package, or the checkout's `replies/`."""
    packaged = resources.files("cminbox") / "starter_replies"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "replies"
    return checkout if checkout.is_dir() else None


def install_starter(dest: Path) -> tuple[list[str], list[str]]:
    """Copy the starter set into `dest`; files already there are kept as they are, never overwritten.

    Returns (copied, skipped) file names.
    """
    source = starter_dir()
    if source is None:
        raise FileNotFoundError("the starter replies are missing from this installation")
    dest.mkdir(parents=True, exist_ok=True)
    copied, skipped = [], []
    for path in sorted(source.glob("*.md")):
        target = dest / path.name
        try:
            with open(target, "x", encoding="utf-8") as out:  # "x": never overwrite
                out.write(path.read_text(encoding="utf-8"))
            copied.append(path.name)
        except FileExistsError:
            skipped.append(path.name)
    return copied, skipped


# -- writing -------------------------------------------------------------------------------


def slugify(text: str, limit: int = 60) -> str:
    """ "Retard de livraison : on s'en occupe" -> "retard-de-livraison-on-s-en-occupe"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:limit].strip("-")
    return slug or "reply"


def toml_string(value: str) -> str:
    """A TOML basic string. JSON's string syntax is a subset of TOML's, except for DEL."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def render_reply(*, title: str, body: str, lang: str | None, tone: str | None, tags, networks, workspaces=()) -> str:
    lines = [FENCE, f"title = {toml_string(clean_line(title))}"]
    if lang:
        lines.append(f"lang = {toml_string(lang)}")
    if tone:
        lines.append(f"tone = {toml_string(tone)}")
    lines.append("tags = [" + ", ".join(toml_string(t) for t in tags) + "]")
    lines.append("networks = [" + ", ".join(toml_string(n) for n in networks) + "]")
    if workspaces:
        lines.append("workspaces = [" + ", ".join(toml_string(w) for w in workspaces) + "]")
    lines.append(FENCE)
    return "\n".join(lines) + "\n" + clean_text(body).strip("\n") + "\n"


def write_reply(
    folder: Path,
    *,
    title: str,
    body: str,
    lang: str | None = None,
    tone: str | None = None,
    tags: tuple[str, ...] | list[str] = (),
    networks: tuple[str, ...] | list[str] = (),
    workspaces: tuple[str, ...] | list[str] = (),
) -> Path:
    """Save a new reply file in `folder`; an existing file is never overwritten (a -2, -3… is added)."""
    text = render_reply(title=title, body=body, lang=lang, tone=tone, tags=tags, networks=networks, workspaces=workspaces)
    parse_reply(text)  # what is written must read back: raises ReplyFileError otherwise
    folder.mkdir(parents=True, exist_ok=True)
    stem = slugify(title)
    taken = {reply.key for reply in load_folder(folder)[0]}
    for n in range(1, 1000):
        name = stem if n == 1 else f"{stem}-{n}"
        if name in taken:
            continue
        path = folder / f"{name}.md"
        try:
            with open(path, "x", encoding="utf-8") as out:
                out.write(text)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(f"too many replies named {stem!r} in {folder}")
