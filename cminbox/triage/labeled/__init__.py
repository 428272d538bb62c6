"""The labeled inbox: about 2,000 messages written for cminbox, labeled by hand (see GUIDE.md).

`load()` reads every `*.txt` file here and checks each line; `split(message)` says whether a
message belongs to the tuning part or the test part. The split depends only on the text
(`crc32(text) % 100 < TEST_PERCENT`), so adding messages never moves old ones across it.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ...models import KINDS

DATA_DIR: Final = Path(__file__).resolve().parent
TEST_PERCENT: Final = 30
TUNING: Final = "tuning"
TEST: Final = "test"

LANGS: Final = ("fr", "en", "und")
SENTIMENTS: Final = ("neg", "neu", "pos")
NETWORKS: Final = (
    "x", "facebook", "instagram", "bluesky", "mastodon", "threads", "reddit", "youtube", "tiktok",
    "linkedin", "google", "trustpilot",
)  # fmt: skip
FLAGS: Final = "CQPS"


class LabelError(ValueError):
    """A line of the labeled set that does not follow GUIDE.md."""


@dataclass(frozen=True, slots=True)
class Labeled:
    text: str
    lang: str
    network: str
    kind: str
    sentiment: str
    complaint: bool
    question: bool
    praise: bool
    spam: bool
    rating: float | None
    tags: tuple[str, ...]
    where: str  # file:line

    @property
    def split(self) -> str:
        return split_of(self.text)

    def label(self, name: str):
        """A label by name: "complaint", "question", "praise", "spam", or "sentiment"."""
        return getattr(self, name)


def split_of(text: str) -> str:
    return TEST if zlib.crc32(text.encode("utf-8")) % 100 < TEST_PERCENT else TUNING


def parse_line(line: str, where: str) -> Labeled:
    head, sep, text = line.partition(" | ")
    text = text.strip()
    if not sep or not text:
        raise LabelError(f"{where}: expected '<labels> | <text>'")
    fields = head.split()
    if len(fields) < 5:
        raise LabelError(f"{where}: expected lang network kind sentiment flags before ' | '")
    lang, network, kind, sentiment, flags, *rest = fields
    if lang not in LANGS:
        raise LabelError(f"{where}: language {lang!r} is not one of {LANGS}")
    if network not in NETWORKS:
        raise LabelError(f"{where}: network {network!r} is not one of {NETWORKS}")
    if kind not in KINDS:
        raise LabelError(f"{where}: kind {kind!r} is not one of {KINDS}")
    if sentiment not in SENTIMENTS:
        raise LabelError(f"{where}: sentiment {sentiment!r} is not one of {SENTIMENTS}")
    if flags != "-" and (not set(flags) <= set(FLAGS) or len(set(flags)) != len(flags)):
        raise LabelError(f"{where}: flags {flags!r} must be '-' or letters of {FLAGS}")
    if "S" in flags and len(flags) > 1:
        raise LabelError(f"{where}: spam/abuse excludes every other label")
    if "C" in flags and "Q" in flags:
        raise LabelError(f"{where}: a complaint phrased as a question is C only")
    rating = None
    tags = []
    for extra in rest:
        if extra.startswith("r="):
            try:
                rating = float(extra[2:])
            except ValueError:
                raise LabelError(f"{where}: rating {extra!r} is not a number") from None
            if not 1 <= rating <= 5 or kind != "review":
                raise LabelError(f"{where}: a rating is 1 to 5 and belongs to a review")
        elif extra.startswith("+") and len(extra) > 1:
            tags.append(extra[1:])
        else:
            raise LabelError(f"{where}: unexpected field {extra!r}")
    return Labeled(
        text=text, lang=lang, network=network, kind=kind, sentiment=sentiment,
        complaint="C" in flags, question="Q" in flags, praise="P" in flags, spam="S" in flags,
        rating=rating, tags=tuple(tags), where=where,
    )  # fmt: skip


def load(directory: Path = DATA_DIR) -> list[Labeled]:
    """Every labeled message, in file order; a duplicate text is an error (it would leak)."""
    out: list[Labeled] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            where = f"{path.name}:{number}"
            item = parse_line(line, where)
            if item.text in seen:
                raise LabelError(f"{where}: same text as {seen[item.text]}")
            seen[item.text] = where
            out.append(item)
    return out


def part(items: list[Labeled], which: str) -> list[Labeled]:
    """The tuning or the test part."""
    return [item for item in items if item.split == which]
