"""What a `[keys]` table can get wrong, which Textual accepts without a word:

- an action id no binding has ("inbox.snoze"): the key the user meant to move stays where it was;
- a key name Textual never reports ("Enter", "esc", "ctrl-n"): the binding loses its old key for
  one that never fires;
- a key two actions live at the same time now share: one of them never gets it.

The ids are read from the bindings themselves, the key names from Textual's key tables, and a
clash is resolved the way Textual resolves it (BindingsMap.apply_keymap, App._check_bindings).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from functools import cache

from textual.binding import Binding, BindingsMap


def known_action_ids() -> frozenset[str]:
    """Every binding id of the app, its screens and its widgets, and the folder ids."""
    from .app import InboxApp
    from .screens.bulk import BulkScreen
    from .screens.composer import ComposerScreen
    from .screens.forms import AskScreen, ChoiceScreen, SaveReplyScreen
    from .screens.help import HelpScreen
    from .screens.picker import PickerScreen
    from .screens.sentiment import SentimentScreen
    from .screens.snooze import SnoozeScreen
    from .store.folders import FOLDERS
    from .widgets.detail import DetailPane
    from .widgets.message_list import MessageList

    owners = (InboxApp, BulkScreen, ComposerScreen, AskScreen, ChoiceScreen, SaveReplyScreen, HelpScreen,
              PickerScreen, SentimentScreen, SnoozeScreen, DetailPane, MessageList)  # fmt: skip
    ids = {
        binding.id
        for owner in owners
        for cls in owner.__mro__
        for binding in vars(cls).get("BINDINGS", ())
        if isinstance(binding, Binding) and binding.id
    }
    return frozenset(ids | {f"folder.{folder.key}" for folder in FOLDERS})


def unknown_action_ids(keymap: Iterable[str], known: frozenset[str] | None = None) -> list[str]:
    """What to say of each id in `keymap` that no binding has, with the nearest known spelling."""
    known = known_action_ids() if known is None else known
    said = []
    for action in keymap:
        if action in known:
            continue
        close = difflib.get_close_matches(action, sorted(known), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else " (the README lists the action ids)"
        said.append(f"[keys] {action!r} is no action id, so its keys do nothing{hint}")
    return said


# -- key names ------------------------------------------------------------------------------------

# The modifiers Textual's input parser puts before a key, in this (alphabetical) order: "ctrl+shift+up",
# "alt+ctrl+x" (textual._xterm_parser sorts them). They are words of its parser, not key names.
_MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")


@cache
def _named_keys() -> frozenset[str]:
    """The names Textual gives the keys that are no character ("enter", "escape", "pagedown",
    "f5", "ctrl+up"), from the tables its input parser reads terminals with; the `Keys` list of
    its keys module if those tables ever move."""
    from textual.keys import Keys

    names: set[str] = set()
    try:
        from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
        from textual._keyboard_protocol import FUNCTIONAL_KEYS
    except ImportError:  # pragma: no cover - a later Textual
        names = {key.value for key in Keys}
    else:
        for keys in ANSI_SEQUENCES_KEYS.values():
            if isinstance(keys, tuple):
                names.update(key.value for key in keys)
        names.update(FUNCTIONAL_KEYS.values())
    return frozenset(name for name in names if not name.startswith("<"))


def _is_character_key(name: str) -> bool:
    """A printable character, or the name Textual gives one ("asterisk", "slash", "é")."""
    from textual.keys import _character_to_key, format_key

    if len(name) == 1:
        return name.isprintable()
    character = format_key(name)
    return len(character) == 1 and character.isprintable() and _character_to_key(character) == name


def is_key_name(key: str) -> bool:
    """Whether Textual can report a key press by this name (as a `[keys]` table writes it: a
    single character is taken as is, Textual turns "*" into "asterisk" itself)."""
    if len(key) == 1:
        return key.isprintable()
    if key in _named_keys():
        return True
    *modifiers, base = key.split("+")
    if not modifiers:
        return _is_character_key(base)
    if not base or any(m not in _MODIFIERS for m in modifiers) or modifiers != sorted(set(modifiers)):
        return False
    if len(base) == 1:  # with a modifier, a character comes by its name and in lower case: ctrl+n, alt+minus
        return base.isalnum() and base == base.lower()
    return base in _named_keys() or _is_character_key(base)


def _spelling(key: str) -> str | None:
    """The name Textual has for a key written another way: "Enter" → "enter", "esc" → "escape",
    "Ctrl-N" → "ctrl+n", "shift+ctrl+up" → "ctrl+shift+up"; None when nothing is close."""
    from textual.keys import KEY_DISPLAY_ALIASES, _character_to_key

    written = key.strip()
    if not written:
        return None
    tokens = [t for t in re.split(r"[+\s]+|-(?=.)", written) if t] if len(written) > 1 else [written]
    *modifiers, base = tokens or [written]
    fixed_modifiers = []
    for modifier in modifiers:
        close = difflib.get_close_matches(modifier.lower(), _MODIFIERS, n=1, cutoff=0.6)
        if not close:
            return None
        fixed_modifiers.append(close[0])
    fixed_modifiers = sorted(set(fixed_modifiers))
    if len(base) == 1:
        base = (base.lower() if base.isalnum() else _character_to_key(base)) if fixed_modifiers else base
    else:
        lower = base.lower()
        shown_as = {shown: name for name, shown in KEY_DISPLAY_ALIASES.items()}  # "esc", "pgdn", "del"
        if lower in _named_keys() or _is_character_key(lower):
            base = lower
        elif lower in shown_as:
            base = shown_as[lower]
        else:
            plain = sorted(k for k in _named_keys() if "+" not in k)
            close = difflib.get_close_matches(lower, plain, n=1, cutoff=0.7)  # entr → enter, pgae_down → pagedown
            if not close:
                return None
            base = close[0]
    spelled = "+".join([*fixed_modifiers, base])
    return spelled if spelled != key and is_key_name(spelled) else None


def bad_key_names(keymap: Mapping[str, str], known: frozenset[str] | None = None) -> list[str]:
    """What to say of each key of `keymap` Textual never reports ("Enter", "esc", "ctrl-n"):
    its binding loses its old key and gets one that never fires."""
    known = known_action_ids() if known is None else known
    said = []
    for action, keys in keymap.items():
        if action not in known:
            continue  # said by unknown_action_ids
        for key in keys.split(","):
            key = key.strip()
            if is_key_name(key):
                continue
            if not key:
                said.append(f"[keys] {action!r} = {keys!r} has an empty key (a comma too many)")
                continue
            right = _spelling(key)
            fix = f'write "{right}"' if right else "the README's Keys section says how keys are named"
            said.append(f"[keys] {action!r}: {key!r} is no key name Textual reports, so it never fires ({fix})")
    return said


# -- keys two actions share ------------------------------------------------------------------------


def _scopes() -> list[tuple[str, list[type], bool]]:
    """Where keys act, as Textual walks it: each place's classes from the focused widget up to the
    app (a dialog is modal: the walk stops at its screen, the app's priority keys aside), and
    whether a text field has the focus there."""
    from .app import InboxApp, InboxScreen
    from .screens.bulk import BulkScreen
    from .screens.composer import ComposerScreen
    from .screens.picker import PickerScreen
    from .screens.snooze import SnoozeScreen
    from .widgets.detail import DetailPane
    from .widgets.message_list import MessageList

    return [
        ("in the list", [MessageList, InboxScreen, InboxApp], False),
        ("in the detail pane", [DetailPane, InboxScreen, InboxApp], False),
        ("in the composer", [ComposerScreen, InboxApp], True),
        ("in the saved-replies picker", [PickerScreen, InboxApp], True),
        ("in the snooze dialog", [SnoozeScreen, InboxApp], True),
        ("in the answer-them-all preview", [BulkScreen, InboxApp], False),
    ]


def _declared(owner: type, typing: bool) -> BindingsMap:
    """The bindings of a class as declared (its bases' too), the app's command palette key
    included; with a text field focused, less the keys that type a character (Screen._binding_chain
    leaves those to the field, and only then applies the keymap)."""
    from textual.app import App
    from textual.keys import key_to_character

    bindings = owner._merged_bindings.copy()
    if issubclass(owner, App) and owner.ENABLE_COMMAND_PALETTE:  # added by App.__init__
        bindings._add_binding(Binding(owner.COMMAND_PALETTE_BINDING, "command_palette", "Command palette", priority=True))
    if typing:
        for key in list(bindings.key_to_bindings):
            character = key_to_character(key)
            if character is not None and character.isprintable():
                del bindings.key_to_bindings[key]
    return bindings


def _effective(owner: type, keymap: Mapping[str, str], typing: bool) -> dict[str, list[Binding]]:
    """The bindings of a class once Textual has applied the keymap (BindingsMap.apply_keymap,
    which also takes a key away from the binding that had it by default)."""
    bindings = _declared(owner, typing)
    bindings.apply_keymap(keymap)
    return bindings.key_to_bindings


def _ident(binding: Binding) -> str:
    return binding.id or binding.action


def _name(binding: Binding) -> str:
    what = binding.description or binding.action
    return f"{what} ({binding.id})" if binding.id else f"Textual's {what!r}"


def _tried(chain: list[type], keymap: Mapping[str, str], typing: bool) -> dict[str, list[Binding]]:
    """For each key, the bindings Textual tries when it is pressed, in its order (App._check_bindings):
    the priority ones from the app down, then the others from the focused widget up. In a dialog
    (modal: the walk stops at its screen) the inbox's keys give way, its chords aside
    (InboxApp._ours). The first whose action can run does it."""
    from textual.screen import ModalScreen

    modal = issubclass(chain[0], ModalScreen)
    effective = {owner: _effective(owner, keymap, typing) for owner in chain}
    tried: dict[str, list[Binding]] = {}
    for owners, priority in ((chain[::-1], True), (chain[:-1] if modal else chain, False)):
        for owner in owners:
            for key, bindings in effective[owner].items():
                if modal and owner is chain[-1] and "+" not in key:
                    continue
                for binding in bindings:
                    there = tried.setdefault(key, [])
                    if binding.priority == priority and all(_ident(b) != _ident(binding) for b in there):
                        there.append(binding)
    # Applying the keymap, Textual takes a key from the binding that had it by default when a
    # remapped one of the same class is given it: that binding lost the key outright.
    for owner in chain:
        for key, bindings in _declared(owner, typing).key_to_bindings.items():
            for binding in bindings:
                there = tried.get(key)
                if there and binding.id not in keymap and all(_ident(b) != _ident(binding) for b in there):
                    there.append(binding)
    return {key: bindings for key, bindings in tried.items() if bindings}


def key_clashes(keymap: Mapping[str, str]) -> list[str]:
    """What to say of each key the keymap leaves to two actions live at the same time: which one
    the key does, which one lost it (and whether any key still reaches it), and how to fix it."""
    from textual.app import App
    from textual.keys import format_key

    normal = App._normalize_keymap(dict(keymap))  # as Textual applies it: "*" is "asterisk"
    written: dict[str, str] = {}
    for action, keys in keymap.items():
        for key, name in zip(keys.split(","), normal[action].split(",")):
            written.setdefault(name, key.strip())

    def shown(key: str) -> str:
        return written.get(key) or (format_key(key) if _is_character_key(key) else key)

    clashes: dict[tuple[str, str, str], dict] = {}
    for place, chain, typing in _scopes():
        tried = _tried(chain, normal, typing)
        first = {}
        for key, bindings in tried.items():
            first.setdefault(bindings[0].action, []).append(key)
        for key, bindings in tried.items():
            named = [b for b in bindings if b.description]
            if len(named) < 2 or named[0] is not bindings[0] or not any(b.id in normal for b in named):
                continue
            winner = named[0]
            for loser in named[1:]:
                clash = clashes.setdefault((key, _ident(winner), _ident(loser)), {"places": [], "keeps": []})
                clash.update(winner=winner, loser=loser)
                clash["places"].append(place)
                clash["keeps"] += [k for k in first.get(loser.action, ()) if k not in clash["keeps"]]
    said = []
    for (key, _w, _l), clash in clashes.items():
        winner, loser, places = clash["winner"], clash["loser"], clash["places"]
        where = " and ".join(places)
        if len(places) == len(_scopes()):
            where = "everywhere"
        elif {"in the list", "in the detail pane"} <= set(places):
            where = " and ".join(["in the inbox", *(p for p in places if p not in ("in the list", "in the detail pane"))])
        keeps = ", ".join(shown(k) for k in clash["keeps"])
        left = f"{loser.description} keeps {keeps}" if keeps else f"no key reaches {loser.description} any more"
        if loser.id in normal and key in normal[loser.id].split(","):
            fix = f'take {shown(key)} out of "{loser.id}" or out of "{winner.id}"'
        elif loser.id:
            fix = f'give "{loser.id}" another key, or "{winner.id}" one of its own'
        else:
            fix = f'give "{winner.id}" another key'
        said.append(f"[keys] {shown(key)} is both {_name(winner)} and {_name(loser)} {where}: "
                    f"{shown(key)} does {winner.description}, {left} (fix: {fix})")
    return said


def keymap_problems(keymap: Mapping[str, str]) -> list[str]:
    """Everything to say of a `[keys]` table: ids no binding has, key names Textual never
    reports, keys two actions now share. Said when the app opens and by `cminbox doctor`."""
    known = known_action_ids()
    return [*unknown_action_ids(keymap, known), *bad_key_names(keymap, known), *key_clashes(keymap)]
