"""`cminbox import FILE`: messages from other tools' exports, as JSONL, a JSON array of objects, or CSV.

Columns (CSV header / JSON keys), all text unless said:

| column | required | meaning |
| --- | --- | --- |
| text | yes | the message |
| created_at | yes | ISO 8601 (`2025-11-24T15:00:00Z`; no zone = UTC) or epoch seconds (or milliseconds) |
| id | no | the message's id in the tool; without it, one is derived from the row, so re-importing a file never duplicates |
| network | no | facebook, instagram, x, … (default `import`) |
| kind | no | comment, dm, mention, review (default `mention`) |
| author_name, author_handle | no | who wrote it |
| author_reach | no | followers, a whole number |
| url | no | the message's page (http/https) |
| uri | no | its identity across sources (defaults to url): a message another source brought is not stored twice |
| parent_id, thread_id, title, lang | no | the message it answers, its thread (a DM without one: its author's conversation), the post it is on, `fr` / `en` |
| rating | no | a review's stars, 0 to 5 |

Other tools' and spreadsheets' names are accepted too, French ones included (`ALIASES`: `date`,
`message`, `auteur`, `réseau`, `lien`…), and so are networks and kinds as people write them
("Twitter", "Google My Business", "Commentaire", "Message privé", "Avis"). created_at may also be
a spreadsheet's date (`24/11/2025 15:04`, `11/24/2025 3:04 PM`, `2025/11/24`), read in the
brand's time zone (its workspace's `timezone`; else this computer's) as the spreadsheet shows
it, day first unless the file has a date that only reads month first. CSV may be
comma-, semicolon- or tab-separated (French spreadsheets use semicolons), UTF-8 with or without BOM.
A bad row is reported with its line number and skipped; the good rows are imported. A CSV
whose first line does not name the text and created_at columns is refused whole. A CSV row
whose quote is never closed is a bad row, and the lines its text took are read again as rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from pathlib import Path

from .models import KINDS, NETWORKS, BadMessage, Incoming

# Column names other tools and spreadsheets use (in lower case), French ones included. A column
# named as in the table above wins over an alias of it.
ALIASES = {
    "message": "text", "content": "text", "contenu": "text", "texte": "text", "body": "text",
    "date": "created_at", "created_time": "created_at", "created": "created_at", "timestamp": "created_at",
    "published": "created_at", "published_at": "created_at", "date de publication": "created_at",
    "publié le": "created_at", "date de création": "created_at",
    "author": "author_name", "auteur": "author_name", "from": "author_name", "nom": "author_name",
    "name": "author_name", "author name": "author_name", "nom de l'auteur": "author_name",
    "username": "author_handle", "handle": "author_handle", "pseudo": "author_handle",
    "nom d'utilisateur": "author_handle",
    "followers": "author_reach", "abonnés": "author_reach",
    "link": "url", "lien": "url", "permalink": "url", "permalink_url": "url",
    "platform": "network", "plateforme": "network", "réseau": "network", "reseau": "network",
    "réseau social": "network", "type de message": "kind", "message type": "kind",
    "language": "lang", "langue": "lang", "note": "rating", "stars": "rating", "étoiles": "rating",
}  # fmt: skip
# Networks and kinds as exports and people write them (in lower case); the list's own short
# labels ("fb", "mast") are networks too.
NETWORK_ALIASES = {
    "twitter": "x", "x (twitter)": "x", "google my business": "google", "google business profile": "google",
    "google business": "google", "google reviews": "google", "avis google": "google", "gmb": "google",
    "hacker news": "hackernews", "hn": "hackernews", "facebook page": "facebook", "messenger": "facebook",
    **{label: code for code, label in NETWORKS.items()},
}  # fmt: skip
KIND_ALIASES = {
    "comments": "comment", "commentaire": "comment", "commentaires": "comment", "reply": "comment",
    "réponse": "comment", "dms": "dm", "message": "dm", "messages": "dm", "message privé": "dm",
    "messages privés": "dm", "mp": "dm", "direct message": "dm", "private message": "dm",
    "conversation": "dm", "mentions": "mention", "avis": "review", "reviews": "review", "rating": "review",
}  # fmt: skip
_TEXT_FIELDS = ("author_name", "author_handle", "url", "uri", "parent_id", "thread_id", "title", "lang")


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason  # 0: no line known (refused when stored)


# A spreadsheet's date: day, month and year in the computer's order, or the year first; then
# perhaps a time ("15:04", "15h04", "3:04 PM"). A two-digit year is refused: "24/11/25" could be
# either end.
_SPREADSHEET_DATE = re.compile(
    r"(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:[ T,]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?(?:\s*([ap])\.?m\.?)?)?",
    re.IGNORECASE,
)
# A date in a file's text with its day or month first ("24/11/2025" reads only day first).
_DAY_OR_MONTH_FIRST = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}(?!\d)")


def day_first(text: str) -> bool:
    """Whether a file writes its dates day first (the French way, and the default) or month
    first (the American way): the order its dates can only be read in, where they say."""
    votes = {True: 0, False: 0}
    for first, second in _DAY_OR_MONTH_FIRST.findall(text):
        if int(first) > 12 >= int(second):
            votes[True] += 1
        elif int(second) > 12 >= int(first):
            votes[False] += 1
    return votes[True] >= votes[False]


def _spreadsheet_time(text: str, dayfirst: bool, zone: tzinfo | None = None) -> float | None:
    """The timestamp of a spreadsheet's date, in `zone` (the brand's), else the computer's time
    zone; None if `text` is not written as one, `ValueError` if it is and names no real date or
    time."""
    found = _SPREADSHEET_DATE.fullmatch(text)
    if found is None:
        return None
    a, b, c, hour, minute, second, half = found.groups()
    if len(a) == 4:
        year, month, day = a, b, c
    elif len(c) == 4:
        year, (day, month) = c, ((a, b) if dayfirst else (b, a))
    else:
        raise ValueError(f"created_at {text[:40]!r}: the year must have four digits")
    hours = int(hour or 0)
    if half:  # 12:30 AM is 00:30, 12:30 PM is 12:30
        if not 1 <= hours <= 12:
            raise ValueError(f"created_at {text[:40]!r} is not a time of day")
        hours = hours % 12 + (12 if half.lower() == "p" else 0)
    try:
        when = datetime(int(year), int(month), int(day), hours, int(minute or 0), int(second or 0), tzinfo=zone)
    except ValueError:
        raise ValueError(f"created_at {text[:40]!r} is not a date") from None
    return when.timestamp()  # naive (no zone): the computer's, as the spreadsheet showed it


def parse_time(value: object, dayfirst: bool = True, zone: tzinfo | None = None) -> float:
    """ISO 8601 (UTC without a zone), epoch seconds or milliseconds, or a spreadsheet's date
    (`_spreadsheet_time`: its day first unless `dayfirst` is False, in `zone` when given)."""
    if isinstance(value, bool):
        raise ValueError("created_at is not a date")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value or "").strip()
        if not text:
            raise ValueError("created_at is empty")
        try:
            number = float(text)
        except ValueError:
            try:
                when = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                spreadsheet = _spreadsheet_time(text, dayfirst, zone)
                if spreadsheet is None:
                    raise ValueError(
                        f"created_at {text[:40]!r} is not a date (ISO 8601, epoch seconds, or a spreadsheet's "
                        "such as 24/11/2025 or 24/11/2025 15h04)"
                    ) from None
                return spreadsheet
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            return when.timestamp()
    return number / 1000 if number > 1e11 else number


def _text(value: object, name: str) -> str:
    """A text column's value. An API dump's author is an object (Graph's `"from": {"name": …,
    "id": …}`): its name (or username) is who wrote it."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("username") or ""
    if isinstance(value, (list, dict)):
        raise ValueError(f"{name} is not text")
    return str(value).strip()


def column(name: str) -> str:
    """A column's name as the table above says it ("Date de publication" -> "created_at")."""
    name = name.strip().lower()
    return ALIASES.get(name, name)


def _named(row: dict) -> dict:
    """The row under the table's column names: a column so named wins over an alias of it, and
    of two aliases, the first."""
    named: dict = {}
    for key, value in row.items():
        if key is None:
            continue
        written = str(key).strip().lower()
        name = ALIASES.get(written, written)
        if name == written or name not in named:
            named[name] = value
    return named


def to_message(row: dict, dayfirst: bool = True, zone: tzinfo | None = None) -> Incoming:
    """One row as a message; `ValueError` / `BadMessage` with the reason if it cannot be one.
    `dayfirst`: how the file writes its spreadsheet dates (`day_first`); `zone`: where they are."""
    row = _named(row)
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("text is missing or empty")
    created = parse_time(row.get("created_at"), dayfirst, zone)
    network = str(row.get("network") or "import").strip().lower()
    network = NETWORK_ALIASES.get(network, network)
    if network not in NETWORKS:
        raise ValueError(f"network {network[:20]!r} is not one of {', '.join(NETWORKS)}")
    kind = str(row.get("kind") or "mention").strip().lower()
    kind = KIND_ALIASES.get(kind, kind)
    if kind not in KINDS:
        raise ValueError(f"kind {kind[:20]!r} is not one of {', '.join(KINDS)}")
    fields = {name: _text(row[name], name) for name in _TEXT_FIELDS if row.get(name) not in (None, "")}
    fields = {name: value for name, value in fields.items() if value}
    reach = row.get("author_reach")
    if reach not in (None, ""):
        try:
            fields["author_reach"] = int(float(reach))
        except (TypeError, ValueError):
            raise ValueError(f"author_reach {str(reach)[:20]!r} is not a number") from None
    rating = row.get("rating")
    if rating not in (None, ""):
        try:
            fields["rating"] = float(str(rating).replace(",", "."))
        except ValueError:
            raise ValueError(f"rating {str(rating)[:20]!r} is not a number") from None
        if not 0 <= fields["rating"] <= 5:
            raise ValueError("rating must be between 0 and 5")
    native = row.get("id")
    if native in (None, ""):
        # Dated as before brands had a zone (the computer's): the same row gets the same id in
        # every workspace, so one imported into the wrong brand is recognised, and after upgrading.
        stamp = created if zone is None else parse_time(row.get("created_at"), dayfirst)
        basis = "\x1f".join([network, fields.get("author_handle", fields.get("author_name", "")), str(stamp), text])
        native = "row-" + hashlib.sha1(basis.encode()).hexdigest()[:20]
    fields.setdefault("uri", fields.get("url"))
    if kind == "dm" and "thread_id" not in fields:
        # A network keeps one conversation per person: the reply window counts from their last DM.
        who = fields.get("author_handle") or fields.get("author_name") or str(native).strip()
        fields["thread_id"] = f"dm:{network}:{who}"  # (one import source holds every network)
    message = Incoming(native_id=str(native).strip(), network=network, kind=kind, text=text, created_at=created, **fields)
    message.check()
    return message


class NotImportable(ValueError):
    """The file as a whole cannot be read as messages (no usable CSV header, say)."""


def _decoded(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # old spreadsheet exports


def _rows(path: Path, text: str) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line, row, problem) for each record of the file (`text`, decoded). The header is checked
    at once: `NotImportable` is raised here, before any row is read."""
    start = _SPACE.match(text).end()
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json") or text.startswith(("{", "["), start):
        return _json_rows(text, start)
    lines = _Lines(io.StringIO(text, newline=""))
    # The separator is the header's: the column names are plain words, while texts below hold
    # commas and semicolons across several lines, which can fool a guess from a sample. A quote
    # inside a quoted cell is written twice, as every spreadsheet writes it.
    reader = csv.reader(lines, csv.excel, delimiter=_separator(text[start : text.find("\n", start)]))
    try:
        names = next(reader, [])
    except csv.Error:
        names = []
    header = [f.strip() for f in names if f]
    missing = {"text", "created_at"} - {column(f) for f in header}
    if missing:
        found = ", ".join(repr(f[:30]) for f in header[:8]) or "nothing"
        raise NotImportable(f"the first line must name the columns, including {' and '.join(sorted(missing, reverse=True))}"
                            f" (it has {found})")
    return _csv_rows(reader, reader.dialect, lines, names)


def _separator(header: str) -> str:
    """The separator a header line uses most: comma, semicolon (French spreadsheets) or tab."""
    return max(",;\t", key=header.count)  # (a tie, or none: the comma, first)


_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace
EXPECTED_JSON = "expected JSONL, one object per line, or a JSON array of objects"


def _json_rows(text: str, start: int) -> Iterator[tuple[int, dict | None, str | None]]:
    """JSONL, or a JSON array (a common export shape). `NotImportable` when no line is an
    object and the file is no array: the reason is the file's shape, not its rows."""
    if text.startswith("[", start):
        return _json_array_rows(text, start)
    if start < len(text) and not _has_object_line(text):
        raise NotImportable(f"{EXPECTED_JSON}; no line of it is a JSON object")
    return _jsonl_rows(text)


def _has_object_line(text: str) -> bool:
    for line in io.StringIO(text):  # one line at a time: usually the first one answers
        try:
            if isinstance(json.loads(line), dict):
                return True
        except ValueError:
            continue
    return False


def _jsonl_rows(text: str) -> Iterator[tuple[int, dict | None, str | None]]:
    # Only "\n" ends a line: U+2028 and the like are text inside a JSON string.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as error:
            yield number, None, _not_json(error)
            continue
        yield (number, row, None) if isinstance(row, dict) else (number, None, "not a JSON object")


def _not_json(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"not valid JSON ({error.msg.lower()} at column {error.colno})"
    return f"not valid JSON ({str(error)[:80]})"  # a number too long to read, say


def _json_array_rows(text: str, start: int) -> Iterator[tuple[int, dict | None, str | None]]:
    """Each item of `[{...}, {...}]` with the line it starts on. Past a syntax error the rest
    of the array cannot be told apart, so it is reported, not guessed."""
    decoder, lines = json.JSONDecoder(), _LineCounter(text)
    position = _SPACE.match(text, start + 1).end()
    item = 0
    while not text.startswith("]", position):
        item += 1
        line = lines.at(position)
        if item > 1:
            if not text.startswith(",", position):
                yield line, None, _array_broken(text, position, item)
                return
            position = _SPACE.match(text, position + 1).end()
            line = lines.at(position)
            if text.startswith("]", position):
                yield line, None, "not valid JSON (a ',' before the array's closing ']')"
                break
        try:
            value, position = decoder.raw_decode(text, position)
        except ValueError as error:
            where = lines.at(error.pos) if isinstance(error, json.JSONDecodeError) else line
            yield where, None, f"{_not_json(error)}; the rest of the array (item {item} on) cannot be read"
            return
        yield (line, value, None) if isinstance(value, dict) else (line, None, f"item {item} is not a JSON object")
        position = _SPACE.match(text, position).end()
    after = _SPACE.match(text, position + 1).end()
    if after < len(text):
        yield lines.at(after), None, f"more after the array's end ({EXPECTED_JSON})"


def _array_broken(text: str, position: int, item: int) -> str:
    if position >= len(text):
        return "not valid JSON (the array is never closed with ']': is the file cut short?)"
    column = position - text.rfind("\n", 0, position)
    return (f"not valid JSON (expecting ',' or ']' at column {column}); "
            f"the rest of the array (item {item} on) cannot be read")


class _LineCounter:
    """Line numbers of positions met in order in a text, each stretch counted once."""

    def __init__(self, text: str) -> None:
        self.text, self.position, self.line = text, 0, 1

    def at(self, position: int) -> int:
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line


class _Lines:
    """The file's lines for `csv.reader`, one at a time. It keeps the lines of the record being
    read, so that those a broken quote swallowed can be given back and read again as rows."""

    def __init__(self, stream: Iterator[str]) -> None:
        self._stream = stream
        self._again: list[str] = []  # given back: read before the file's next lines, last first
        self.number = 1  # the line number of the next line handed out
        self.start_record()

    def start_record(self) -> None:
        self.first, self.taken, self.ran_out = self.number, [], False

    def give_back(self, lines: list[str]) -> None:
        self._again.extend(reversed(lines))
        self.number -= len(lines)

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._again:
            line = self._again.pop()
        else:
            line = next(self._stream, None)
            if line is None:
                self.ran_out = True  # mid-record, only a quote still open asks for more
                raise StopIteration
            if not line.endswith(("\n", "\r")):
                line += "\n"  # so that a last row without a line break never asks for more
        self.taken.append(line)
        self.number += 1
        return line


def _csv_rows(reader: Iterator[list[str]], dialect: csv.Dialect, lines: _Lines,
              names: list[str]) -> Iterator[tuple[int, dict | None, str | None]]:
    canonical = [column(n) for n in names]
    columns = (len(names), canonical.index("created_at"), canonical.index("text"))
    previous = ""  # the last row's created_at: how the file writes dates
    while True:
        lines.start_record()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # a cell past csv's size limit, say
            cells, problem = None, f"not readable as CSV ({error})"
        if cells == []:
            continue  # a blank line
        own = cells[columns[1]] if cells and len(cells) > columns[1] else ""
        swallowed = lines.taken[1:]
        if lines.ran_out or swallowed and _swallowed_rows(lines.taken, dialect, columns,
                                                          _date_shape(own) or _date_shape(previous)):
            problem = _never_closed(lines.first, len(swallowed))
        elif cells is not None:
            previous = own
            yield lines.first, dict(zip(names, cells)), None  # first: where a quoted text spans lines
            continue
        elif swallowed:
            problem += f"; {_lines_again(lines.first, len(swallowed))}"
        lines.give_back(swallowed)
        yield lines.first, None, problem


# A quoted text may span lines; a quote opened by mistake reads the next rows into its text
# instead. A line of a text is taken for a swallowed row when, read alone, it has the header's
# number of cells and some text, and a date from 2000 on in created_at written like the file's
# (digits aside: `2026-11-20T10:00:00Z` is not `2026-11-20`). The record's last line also holds
# the cells after the text, so it counts only if the record's quote is closed mid-cell, as by
# a swallowed row's own opening quote (`;"Pas reçu`). A message's own lines hardly ever look
# like that, and a false alarm is reported, never silent. Everything after the broken row's
# first line is then read again as rows: each line is imported or reported by its number.
_YEAR_2000 = 946_684_800


def _date_shape(value: str) -> str | None:
    """`0-0-0T0:0:0Z` for `2026-11-20T10:00:00Z`; None when `value` is not a date from 2000 on."""
    try:
        if parse_time(value) < _YEAR_2000:
            return None
    except ValueError:
        return None
    return re.sub(r"\d+", "0", value.strip())


def _swallowed_rows(taken: list[str], dialect: csv.Dialect, columns: tuple[int, int, int], shape: str | None) -> bool:
    """Whether the lines after a record's first are rows that its quote read into its text."""
    *inside, last = taken[1:]
    if any(_reads_as_row(line, dialect, columns, shape) for line in inside):
        return True
    return _reads_as_row(last, dialect, columns, shape) and _closed_mid_cell(taken, dialect)


def _closed_mid_cell(taken: list[str], dialect: csv.Dialect) -> bool:
    try:
        for _ in csv.reader(taken, dialect, strict=True):
            pass
    except csv.Error:  # strict: a closing quote must end its cell
        return True
    return False


def _reads_as_row(line: str, dialect: csv.Dialect, columns: tuple[int, int, int], shape: str | None) -> bool:
    width, created_at, text = columns
    try:
        cells = next(csv.reader([line], dialect), [])
    except csv.Error:
        return False
    if len(cells) != width or not cells[text].strip():
        return False
    found = _date_shape(cells[created_at])
    return found is not None and shape in (None, found)


def _never_closed(first: int, swallowed: int) -> str:
    if not swallowed:
        return "its quote is never closed (the file ends inside it)"
    return f"its quote is never closed: {_lines_again(first, swallowed)}"


def _lines_again(first: int, count: int) -> str:
    if count == 1:
        return f"line {first + 1} was read into its text; it is read again as a row"
    return f"lines {first + 1}-{first + count} were read into its text; they are read again as rows"


def read_file(path: Path, zone: tzinfo | None = None) -> Iterator[Incoming | BadRow]:
    """Every record of the file: a message, or the reason its line was skipped. Raises
    `NotImportable` (before yielding anything) when the file as a whole cannot be read.
    Spreadsheet dates are read in `zone` (the brand's), else in the computer's time zone."""
    text = _decoded(path)
    return _records(_rows(path, text), day_first(text), zone)


def _records(rows: Iterator[tuple[int, dict | None, str | None]], dayfirst: bool, zone: tzinfo | None) -> Iterator[Incoming | BadRow]:
    for line, row, problem in rows:
        if problem:
            yield BadRow(line, problem)
            continue
        try:
            yield to_message(row, dayfirst, zone)
        except (ValueError, BadMessage) as error:
            yield BadRow(line, str(error))
