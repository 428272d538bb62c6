"""The user's verdicts on messages (complaint yes/no, sentiment), kept as corrections the scorer
learns from, per workspace: recorded with the verdict, rescoring similar open messages, and
exported or imported as JSONL.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..textsafe import clean_line, clean_text
from ..triage.labels import SENTIMENT_VALUES
from .errors import Guarded
from .scoring import RepeatCounter, author_key

_ID_CHUNK = 500
# Open messages looked at again after a correction: the same author's, and those sharing the
# corrected message's rarest words, from the last RESCORE_DAYS days.
RESCORE_LIMIT = 300
RESCORE_DAYS = 14
SENTIMENT_NAMES = {value: name for name, value in SENTIMENT_VALUES.items()}


def correction_key(network: str, author: str, text: str) -> str:
    import hashlib  # here, on first use: it loads OpenSSL, a millisecond or two off every start

    return hashlib.sha1(f"{network}\n{author}\n{text}".encode("utf-8")).hexdigest()


@dataclass(slots=True)
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] | None = None  # (line number, reason)


class Corrections(Guarded):
    _learners: dict

    # -- the verdicts ---------------------------------------------------------------------------

    def set_complaint_override(self, ids: Sequence[int], value: bool | None) -> int:
        """The user's verdict (complaint or not); None gives the decision back to the scorer.
        Recorded as a correction the scorer learns from."""
        return self._set_verdict(ids, "complaint_override", None if value is None else int(value))

    def set_sentiment_override(self, ids: Sequence[int], value: str | None) -> int:
        """The user's sentiment ("negative", "neutral", "positive"); None gives it back."""
        if value is not None and value not in SENTIMENT_VALUES:
            raise ValueError(f"unknown sentiment {value!r}")
        return self._set_verdict(ids, "sentiment_override", None if value is None else SENTIMENT_VALUES[value])

    def _set_verdict(self, ids: Sequence[int], column: str, value) -> int:
        changed = 0
        now = time.time()
        with self._transaction():
            for start in range(0, len(ids), _ID_CHUNK):
                chunk = list(ids[start : start + _ID_CHUNK])
                cur = self.conn.execute(
                    f"UPDATE messages SET {column} = ? WHERE id IN ({','.join('?' * len(chunk))})", [value, *chunk]
                )
                changed += cur.rowcount
                self._record(chunk, now)
        return changed

    def _record(self, ids: Sequence[int], now: float) -> None:
        """Bring the corrections of these messages in line with their verdicts (inside a
        transaction): one row per message content, removed when both verdicts are cleared."""
        rows = self.conn.execute(
            f"""SELECT id, workspace_id, network, author_handle, author_name, text, lang,
                       complaint_override, sentiment_override
                FROM messages WHERE id IN ({','.join('?' * len(ids))})""",
            list(ids),
        ).fetchall()
        for mid, workspace_id, network, handle, name, text, lang, complaint, sentiment in rows:
            author = author_key(network, handle, name)
            key = correction_key(network, author, text)
            if complaint is None and sentiment is None:
                self.conn.execute("DELETE FROM corrections WHERE workspace_id = ? AND key = ?", (workspace_id, key))
                continue
            self.conn.execute(
                """INSERT INTO corrections (workspace_id, key, message_id, network, author, text, lang,
                                            complaint, sentiment, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (workspace_id, key) DO UPDATE SET message_id = excluded.message_id,
                   complaint = excluded.complaint, sentiment = excluded.sentiment,
                   updated_at = excluded.updated_at""",
                (workspace_id, key, mid, network, author, text, lang, complaint,
                 None if sentiment is None else SENTIMENT_NAMES.get(sentiment), now, now),
            )  # fmt: skip

    def sync_corrections(self, ids: Sequence[int]) -> None:
        """After an undo: the corrections follow the verdicts put back."""
        with self._transaction():
            for start in range(0, len(ids), _ID_CHUNK):
                self._record(list(ids[start : start + _ID_CHUNK]), time.time())

    def corrections_count(self, workspace_id: int) -> int:
        with self._reading():
            return self.conn.execute("SELECT count(*) FROM corrections WHERE workspace_id = ?", (workspace_id,)).fetchone()[0]

    # -- learning at once: similar open messages are scored again --------------------------------

    def rescore_similar(self, message_ids: Sequence[int], *, now: float | None = None) -> list[int]:
        """Score again the open messages a correction may change: the same author's, and those
        sharing the corrected messages' rarest words. The user's own verdicts are kept (they
        still win); returns the ids whose complaint, sentiment or rank changed."""
        from ..triage.learn import similarity_features

        now = time.time() if now is None else now
        with self._reading():
            rows = self.conn.execute(
                f"SELECT workspace_id, network, author_handle, author_name, text FROM messages WHERE id IN ({','.join('?' * len(message_ids))})",
                list(message_ids),
            ).fetchall()
        candidates: dict[int, set[int]] = {}
        since = now - RESCORE_DAYS * 86400
        for workspace_id, network, handle, name, text in rows:
            found = candidates.setdefault(workspace_id, set())
            with self._reading():
                if handle or name:
                    column, who = ("author_handle", handle) if handle else ("author_name", name)
                    found.update(r[0] for r in self.conn.execute(
                        f"""SELECT id FROM messages WHERE workspace_id = ? AND network = ? AND {column} = ?
                            AND status = 'open' AND created_at >= ? LIMIT ?""",
                        (workspace_id, network, who, since, RESCORE_LIMIT),
                    ))  # fmt: skip
                words = sorted({w for w in similarity_features(text) if " " not in w and not w.startswith("~") and len(w) > 3}, key=len, reverse=True)[:8]
                if words:
                    match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
                    found.update(r[0] for r in self.conn.execute(
                        """SELECT m.id FROM messages_fts f JOIN messages m ON m.id = f.rowid
                           WHERE messages_fts MATCH ? AND m.workspace_id = ? AND m.status = 'open'
                           AND m.created_at >= ? ORDER BY f.rank LIMIT ?""",
                        (match, workspace_id, since, RESCORE_LIMIT),
                    ))  # fmt: skip
        changed: list[int] = []
        for workspace_id, ids in candidates.items():
            changed += self._rescore(workspace_id, sorted(ids))
        return changed

    def _rescore(self, workspace_id: int, ids: list[int]) -> list[int]:
        from ..triage.score import ToScore, score_messages
        from .writes import facts_and_urgency

        if not ids:
            return []
        context = self.scoring_context(workspace_id)  # type: ignore[attr-defined]
        with self._reading():
            rows = self.conn.execute(
                f"""SELECT id, source_id, native_id, network, kind, author_handle, author_name, author_reach,
                           text, lang, rating, created_at, sentiment, complaint_auto, weight
                    FROM messages WHERE id IN ({','.join('?' * len(ids))})""",
                ids,
            ).fetchall()
            repeats = RepeatCounter(self.conn, workspace_id, context.hours, [(r[1], r[2], r[3], r[5], r[6], r[11]) for r in rows])
        scores = score_messages(
            [
                ToScore(
                    text, kind, reach, lang, rating, repeats.count(network, handle, name, created),
                    author_key(network, handle, name),
                )  # fmt: skip
                for _m, _s, _n, network, kind, handle, name, reach, text, lang, rating, created, *_old in rows
            ],
            learner=context.learner,
        )
        updates = []
        changed = []
        for (mid, *_, created, old_sentiment, old_complaint, old_weight), score in zip(rows, scores):
            facts, urgency = facts_and_urgency(score.facts, score.weight, created, context.hours)
            if (score.sentiment, int(score.complaint), score.weight) != (old_sentiment, old_complaint, old_weight):
                changed.append(mid)
            updates.append((
                score.sentiment, int(score.complaint), "|".join(score.cues), score.weight, urgency, score.reason,
                score.complaint_score, int(score.question), int(score.praise), int(score.spam),
                facts, mid,
            ))  # fmt: skip
        with self._transaction():
            self.conn.executemany(
                """UPDATE messages SET sentiment = ?, complaint_auto = ?, cues = ?, weight = ?, urgency = ?,
                   reason = ?, complaint_score = ?, question = ?, praise = ?, spam = ?, facts = ?
                   WHERE id = ?""",
                updates,
            )
        return changed

    # -- export and import -------------------------------------------------------------------------

    def export_corrections(self, workspace_id: int) -> Iterator[dict]:
        """The workspace's corrections, oldest first, as plain dicts (one JSONL line each)."""
        with self._reading():
            rows = self.conn.execute(
                """SELECT network, author, text, lang, complaint, sentiment, created_at, updated_at
                   FROM corrections WHERE workspace_id = ? ORDER BY id""",
                (workspace_id,),
            ).fetchall()
        for network, author, text, lang, complaint, sentiment, created, updated in rows:
            yield {
                "network": network, "author": author, "text": text, "lang": lang,
                "complaint": None if complaint is None else bool(complaint), "sentiment": sentiment,
                "created_at": created, "updated_at": updated,
            }  # fmt: skip

    def import_corrections(self, workspace_id: int, lines: Iterable[str], *, now: float | None = None) -> ImportResult:
        """Corrections from JSONL lines (as `export_corrections` writes them), in one
        transaction. A correction already here (same network, author and text) is updated;
        a bad line is reported by number and the others are kept."""
        now = time.time() if now is None else now
        result = ImportResult(rejected=[])
        rows = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict):
                    raise ValueError("not a JSON object")
                text = clean_text(str(item["text"]))
                if not text.strip():
                    raise ValueError("empty text")
                complaint = item.get("complaint")
                sentiment = item.get("sentiment")
                if complaint is not None and not isinstance(complaint, bool):
                    raise ValueError("complaint must be true, false or null")
                if sentiment is not None and sentiment not in SENTIMENT_VALUES:
                    raise ValueError("sentiment must be negative, neutral, positive or null")
                if complaint is None and sentiment is None:
                    raise ValueError("no verdict (complaint or sentiment)")
                network = clean_line(str(item.get("network") or ""))[:32]
                author = clean_line(str(item.get("author") or ""))[:240]
                lang = item.get("lang") if item.get("lang") in ("fr", "en", "und") else None
                created = float(item.get("created_at") or now)
            except (ValueError, KeyError, TypeError) as error:
                result.rejected.append((number, str(error) if not isinstance(error, KeyError) else f"missing {error}"))
                continue
            rows.append((workspace_id, correction_key(network, author, text), network, author, text, lang,
                         None if complaint is None else int(complaint), sentiment, created, now))  # fmt: skip
        with self._transaction():
            for row in rows:
                exists = self.conn.execute(
                    "SELECT complaint, sentiment FROM corrections WHERE workspace_id = ? AND key = ?", (row[0], row[1])
                ).fetchone()
                if exists is not None and tuple(exists) == (row[6], row[7]):
                    result.unchanged += 1  # the same verdict again (a file imported twice)
                    continue
                self.conn.execute(
                    """INSERT INTO corrections (workspace_id, key, network, author, text, lang, complaint,
                                                sentiment, created_at, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (workspace_id, key) DO UPDATE SET complaint = excluded.complaint,
                       sentiment = excluded.sentiment, updated_at = excluded.updated_at""",
                    row,
                )
                if exists:
                    result.updated += 1
                else:
                    result.added += 1
        return result
