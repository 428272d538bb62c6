"""`cminbox import FILE`: messages from other tools' exports, as JSONL or CSV.

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

`author`, `date` and `link` are accepted for author_name, created_at and url. CSV may be
comma-, semicolon- or tab-separated (French spreadsheets use semicolons), UTF-8 with or without BOM.
A bad row is reported with its line number and skipped; the good rows are imported. A CSV
whose first line does not name the text and created_at columns is refused whole.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .models import KINDS, NETWORKS, BadMessage, Incoming

ALIASES = {"author": "author_name", "date": "created_at", "link": "url"}
_TEXT_FIELDS = ("author_name", "author_handle", "url", "uri", "parent_id", "thread_id", "title", "lang")


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


def parse_time(value: object) -> float:
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
                raise ValueError(f"created_at {text[:40]!r} is not a date (ISO 8601 or epoch seconds)") from None
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            return when.timestamp()
    return number / 1000 if number > 1e11 else number


def to_message(row: dict) -> Incoming:
    """One row as a message; `ValueError` / `BadMessage` with the reason if it cannot be one."""
    row = {ALIASES.get(str(k).strip().lower(), str(k).strip().lower()): v for k, v in row.items() if k is not None}
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("text is missing or empty")
    created = parse_time(row.get("created_at"))
    network = str(row.get("network") or "import").strip().lower()
    if network not in NETWORKS:
        raise ValueError(f"network {network[:20]!r} is not one of {', '.join(NETWORKS)}")
    kind = str(row.get("kind") or "mention").strip().lower()
    if kind not in KINDS:
        raise ValueError(f"kind {kind[:20]!r} is not one of {', '.join(KINDS)}")
    fields = {name: str(row[name]).strip() for name in _TEXT_FIELDS if row.get(name) not in (None, "")}
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
        basis = "\x1f".join([network, fields.get("author_handle", fields.get("author_name", "")), str(created), text])
        native = "row-" + hashlib.sha1(basis.encode()).hexdigest()[:20]
    fields.setdefault("uri", fields.get("url"))
    if kind == "dm" and "thread_id" not in fields:
        # A network keeps one conversation per person: the reply window counts from their last DM.
        fields["thread_id"] = "dm:" + (fields.get("author_handle") or fields.get("author_name") or str(native).strip())
    message = Incoming(native_id=str(native).strip(), network=network, kind=kind, text=text, created_at=created, **fields)
    message.check()
    return message


class NotImportable(ValueError):
    """The file as a whole cannot be read as messages (no usable CSV header, say)."""


def _rows(path: Path) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line, row, problem) for each record of the file. The header is checked at once:
    `NotImportable` is raised here, before any row is read."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # old spreadsheet exports
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json") or text.lstrip().startswith("{"):
        return _json_rows(text)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = [f.strip() for f in reader.fieldnames or [] if f]
    missing = {"text", "created_at"} - {ALIASES.get(f.lower(), f.lower()) for f in header}
    if missing:
        found = ", ".join(repr(f[:30]) for f in header[:8]) or "nothing"
        raise NotImportable(f"the first line must name the columns, including {' and '.join(sorted(missing, reverse=True))}"
                            f" (it has {found})")
    return _csv_rows(reader)


def _json_rows(text: str) -> Iterator[tuple[int, dict | None, str | None]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, None, f"not valid JSON ({error.msg.lower()} at column {error.colno})"
            continue
        except ValueError as error:  # a number too long to read, say
            yield number, None, f"not valid JSON ({str(error)[:80]})"
            continue
        yield (number, row, None) if isinstance(row, dict) else (number, None, "not a JSON object")


def _csv_rows(reader: csv.DictReader) -> Iterator[tuple[int, dict | None, str | None]]:
    start = reader.line_num
    for row in reader:
        yield start + 1, row, None  # where the record starts (a quoted text may span lines)
        start = reader.line_num


def read_file(path: Path) -> Iterator[Incoming | BadRow]:
    """Every record of the file: a message, or the reason its line was skipped. Raises
    `NotImportable` (before yielding anything) when the file as a whole cannot be read."""
    return _records(_rows(path))


def _records(rows: Iterator[tuple[int, dict | None, str | None]]) -> Iterator[Incoming | BadRow]:
    for line, row, problem in rows:
        if problem:
            yield BadRow(line, problem)
            continue
        try:
            yield to_message(row)
        except (ValueError, BadMessage) as error:
            yield BadRow(line, str(error))
