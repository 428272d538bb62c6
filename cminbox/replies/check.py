"""`cminbox replies check`: every reply readable, its placeholders known, its length fit for its networks.

Length is measured on the reply filled with typical values (a 19-character name, the longest
configured brand name…), the way each network counts, against the strictest limit the network
sets (a reply not tagged with networks may be used anywhere, so it must fit them all: tag long
replies with the networks they are written for).
"""

from __future__ import annotations

from collections.abc import Iterable

from .library import Library, Problem, SavedReply
from .limits import LIMITED_NETWORKS, count, strictest
from .placeholders import BUILTIN, FRENCH_NAMES, NETWORK_NAMES, fill, placeholder_names

# Typical values, on the long side of what real messages bring.
SAMPLE_VALUES = {
    "author": "Marie-Claire Dubois",
    "first_name": "Marie-Claire",
    "handle": "@marieclaire_dubois",
    "brand": "Maison Exemple & Co",
    "agent": "Camille",
    "order_id": "BC-4821307",
}
SAMPLE_ASKED = "x" * 24  # a value the CM types when asked (a date, a short link…)


def _field_line(reply: SavedReply, name: str) -> int | None:
    """The front matter line that sets `name` ("workspaces = […]"), read again from the file."""
    try:
        lines = reply.path.read_text(encoding="utf-8").splitlines() if reply.path else []
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines[: max(0, reply.body_line - 1)], start=1):
        if line.strip().startswith(name) and line.split("=", 1)[0].strip() == name:
            return number
    return None


def check_reply(reply: SavedReply, *, known: Iterable[str] = (), brand: str | None = None, agent: str | None = None,
                workspaces: Iterable[str] = ()) -> list[Problem]:
    """`workspaces`: the configured brands' short names (none given: not checked)."""
    problems: list[Problem] = []
    configured = set(workspaces)
    unknown = [slug for slug in reply.workspaces if configured and slug not in configured]
    for slug in unknown:
        where = "nowhere" if len(unknown) == len(reply.workspaces) else "only in the others it names"
        problems.append(Problem(reply.path, _field_line(reply, "workspaces"), f"workspace {slug!r} is not in the "
                                f"config (known: {', '.join(sorted(configured))}): the reply is offered {where}"))
    allowed = set(BUILTIN) | set(FRENCH_NAMES) | set(reply.ask) | set(known)
    for name in placeholder_names(reply.body):
        if name not in allowed:
            offset = reply.body.find("{" + name + "}")
            problems.append(
                Problem(
                    reply.path,
                    reply.line_of(offset),
                    f"unknown placeholder {{{name}}}: use one of {', '.join('{' + b + '}' for b in BUILTIN)}, "
                    f'or declare it under [ask] (e.g. {name} = "the question to ask")',
                )
            )
    if reply.tone and reply.lang and reply.lang != "fr":
        problems.append(Problem(reply.path, None, f'tone "{reply.tone}" is for French replies (this one is lang = "{reply.lang}")'))
    values = dict(SAMPLE_VALUES)
    if brand:
        values["brand"] = brand
    if agent:
        values["agent"] = agent
    values.update({name: SAMPLE_ASKED for name in reply.ask})
    for network in reply.networks or LIMITED_NETWORKS:
        limit = strictest(network)
        if limit is None:
            continue
        text = fill(reply.body, {**values, "network": NETWORK_NAMES.get(network, network)}).text
        length = count(text, limit)
        if length > limit.chars:
            hint = "shorten it" if reply.networks else "shorten it, or list the networks it is written for"
            problems.append(
                Problem(
                    reply.path,
                    reply.body_line,
                    f"too long for {NETWORK_NAMES.get(network, network)}: {length} of {limit.chars} "
                    f"(filled with typical values): {hint}",
                )
            )
    return problems


def check_library(library: Library, *, known: Iterable[str] = (), brand: str | None = None, agent: str | None = None,
                  workspaces: Iterable[str] = ()) -> list[Problem]:
    """Everything wrong with a library: unreadable files first, then each reply's problems."""
    known, workspaces = tuple(known), tuple(workspaces)
    problems = list(library.problems)
    for reply in library.replies:
        problems.extend(check_reply(reply, known=known, brand=brand, agent=agent, workspaces=workspaces))
    return problems
