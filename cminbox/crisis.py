"""Bad buzz in the app: the periodic check, the banner, and crisis mode.

Crisis mode narrows the inbox to the spike's items (negative, not spam, since the alert's
window opened or the first victims before it wrote, sharing its words), holds new arrivals in an "N new" marker instead of
reshuffling the list, and sets the app-level state `app.crisis`, which the saved-replies
picker reads to put the crisis replies first. `b` enters and leaves it; in it, `X` then `R`
answers the whole spike with main's bulk answering (the banner says so, with the user's keys).

The list's title names the banner's words, and follows them when a later check changes them;
once the buzz is over, the banner and the title name those of its peak (`buzz.peak_words`).
The words the list matches only grow: those it was opened with stay (the list never loses a
message to a change of wording), the new ones join (their arrivals come in the "N new" marker).

A mixin of `InboxApp`: it uses the app's store, view, clock and config.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual import work
from textual.content import Content

from .messages import BuzzChanged

BUZZ_CHECK_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Crisis:
    """The crisis the inbox is narrowed to. `app.crisis` is one of these, or None."""

    alert_id: int
    workspace_id: int
    since: float  # the start of the window that fired
    fired_at: float
    terms: tuple[str, ...]  # the words the list matches, folded ("deux fois", "#briochegate")
    headline: str  # "34 negative in 15 min, usual 4"
    shown: tuple[str, ...] = ()  # the banner's words now, as written ("débitée", "#BriocheGate")
    leading: tuple[str, ...] = ()  # the words that carried it (its first victims, before `since`, carry them)

    def following(self, summary: dict) -> Crisis:
        """This crisis with the alert's current words: shown as the banner shows them, added to
        the ones the list matches (a list without words, every negative item, stays so)."""
        from .buzz import leading_terms, shown_terms

        new = tuple(t for t in _matched(summary) if t not in self.terms)
        leading = tuple(t for t in leading_terms(summary) if t not in self.leading)  # these only grow too
        return replace(
            self, terms=self.terms + new if self.terms else (), shown=tuple(shown_terms(summary)) or self.shown,
            leading=self.leading + leading,
        )  # fmt: skip


def _matched(summary: dict) -> tuple[str, ...]:
    """The words an alert's crisis list matches: all it has shown, its words now included (an
    alert stored before they were kept has only these)."""
    matched = list(summary.get("matched") or [])
    return tuple(matched + [term for term, _ in summary.get("terms", []) if term not in matched])


class CrisisMode:
    """Bad-buzz checks, the banner and crisis mode, for `InboxApp`."""

    buzz_alert = None  # the workspace's active alert (store.BuzzAlert), or None

    @property
    def crisis(self) -> Crisis | None:
        """Set while the inbox is in crisis mode (the saved-replies picker reads it)."""
        return self.view.crisis  # type: ignore[attr-defined]

    # -- checking ----------------------------------------------------------------------------

    def _buzz_inputs(self):
        from .config import buzz_settings
        from .hours import BusinessHours, HoursError

        workspace = self.view.workspace  # type: ignore[attr-defined]
        if workspace is None:
            return None
        try:
            hours = BusinessHours.parse(workspace.business_hours, workspace.timezone or None)
        except HoursError:
            hours = BusinessHours.parse(None)
        return workspace, buzz_settings(self.config, workspace.slug), hours  # type: ignore[attr-defined]

    def check_buzz_now(self) -> None:
        """Run the detector for the current workspace and show the result (synchronous)."""
        from .buzz import check

        inputs = self._buzz_inputs()
        if inputs is None:
            self.show_buzz(None)
            return
        workspace, settings, hours = inputs
        alert = check(self.store, workspace.id, self.clock(), settings, hours)  # type: ignore[attr-defined]
        self.show_buzz(alert)

    @work(thread=True, exclusive=True, group="buzz", exit_on_error=False)
    def check_buzz(self) -> None:
        """The same, off the UI thread (every BUZZ_CHECK_SECONDS and after arrivals)."""
        from .buzz import check

        inputs = self._buzz_inputs()
        if inputs is None:
            return
        workspace, settings, hours = inputs
        alert = check(self.store, workspace.id, self.clock(), settings, hours)  # type: ignore[attr-defined]
        self.post_message(BuzzChanged(workspace.id, alert))  # type: ignore[attr-defined]

    def on_buzz_changed(self, event: BuzzChanged) -> None:
        workspace = self.view.workspace  # type: ignore[attr-defined]
        if workspace is not None and workspace.id == event.workspace_id:
            self.show_buzz(event.alert)

    def show_buzz(self, alert) -> None:
        from .buzz import headline
        from .widgets.buzzbanner import BuzzBanner

        fired = alert is not None and (self.buzz_alert is None or self.buzz_alert.id != alert.id)
        self.buzz_alert = alert
        self._follow_alert(alert)
        banner = self.query_one(BuzzBanner)  # type: ignore[attr-defined]
        if alert is None and self.crisis is not None:
            # The spike is over: the banner stays, marked as ended, while the CM works through it,
            # with its peak and the usual of before it (not the last window's numbers), and what
            # it was about at its peak (its last window may be down to a word: "appli"); the
            # list's title names those words too.
            banner.show(self._ended_summary(), crisis=True, keys=self._banner_keys())
            return
        banner.show(alert.summary if alert else None, crisis=self.crisis is not None, keys=self._banner_keys())
        if fired:
            key = self._banner_keys().crisis
            said = headline(alert.summary)  # with its peak: an alert found open at start may have calmed down
            self.notify(Content(f"Bad buzz: {said} · {key} for crisis mode"), severity="warning", timeout=10)  # type: ignore[attr-defined]
            if alert.fired_at >= self.opened_at:  # type: ignore[attr-defined]
                self.terminal_bell.buzz()  # type: ignore[attr-defined]  # (not for one already on when the app opened)

    def _follow_alert(self, alert) -> None:
        """Keep crisis mode's words in step with its alert's (the title shows them)."""
        crisis = self.crisis
        if crisis is None or alert is None or alert.id != crisis.alert_id:
            return
        following = crisis.following(alert.summary)
        if following != crisis:
            self.view.crisis = following  # type: ignore[attr-defined]
            self.update_list_title()  # type: ignore[attr-defined]

    def _ended_summary(self) -> dict:
        """The banner of a crisis whose alert is over: its peak's numbers and words."""
        from .buzz import ended_headline, peak_words, shown_terms

        crisis = self.crisis
        for alert in self.store.buzz_alerts(crisis.workspace_id, limit=20):  # type: ignore[attr-defined]
            if alert.id == crisis.alert_id and not alert.active:
                summary = peak_words(alert.summary)
                shown = tuple(shown_terms(summary))
                if shown and shown != crisis.shown:
                    self.view.crisis = replace(crisis, shown=shown)  # type: ignore[attr-defined]
                    self.update_list_title()  # type: ignore[attr-defined]
                words = {key: summary.get(key) for key in ("terms", "labels", "authors", "networks")}
                return {**words, "headline": ended_headline(alert)}
        return {"terms": [(t, 0) for t in crisis.shown or crisis.terms], "headline": "ended · " + crisis.headline}

    def _banner_keys(self):
        """The keys the banner names, from the user's keymap (its first key for each action)."""
        from .widgets.buzzbanner import BannerKeys

        keymap = self.config.keymap  # type: ignore[attr-defined]
        defaults = BannerKeys()

        def first(binding_id: str, default: str) -> str:
            return keymap.get(binding_id, default).split(",")[0].strip() or default

        return BannerKeys(
            crisis=first("view.crisis", defaults.crisis),
            select_all=first("inbox.select_all", defaults.select_all),
            answer=first("inbox.pick_reply", defaults.answer),
        )

    # -- crisis mode ---------------------------------------------------------------------------

    def action_crisis(self) -> None:
        """Enter crisis mode on the active (or latest) alert; leave it if already in."""
        from .app import View
        from .buzz import leading_terms, peak_words, shown_terms

        workspace = self.view.workspace  # type: ignore[attr-defined]
        if workspace is None:
            return
        if self.crisis is not None:
            self.leave_crisis()
            return
        alert = self.buzz_alert
        if alert is None:
            recent = self.store.buzz_alerts(workspace.id, limit=1)  # type: ignore[attr-defined]
            alert = recent[0] if recent else None
        if alert is None:
            self.notify("No bad buzz: crisis mode narrows the inbox to a spike's messages", timeout=4)  # type: ignore[attr-defined]
            return
        crisis = Crisis(
            alert.id, workspace.id, alert.window_start, alert.fired_at,
            _matched(alert.summary), alert.summary.get("headline", ""),
            tuple(shown_terms(alert.summary if alert.active else peak_words(alert.summary))),
            tuple(leading_terms(alert.summary)),
        )  # fmt: skip
        self.close_search()  # type: ignore[attr-defined]
        self.show_view(View(workspace, folder=self.view.folder, crisis=crisis))  # type: ignore[attr-defined]
        self.show_buzz(self.buzz_alert)
        keys = self._banner_keys()
        self.notify(Content(
            f"Crisis mode: {self._count(list(self.message_list.ids))} · {keys.select_all} then {keys.answer} answers them all "
            f"(crisis replies first) · new ones are held · {keys.crisis} to leave"
        ), timeout=6)  # type: ignore[attr-defined]

    def leave_crisis(self) -> None:
        from .app import View

        view = self.view  # type: ignore[attr-defined]
        self.show_view(View(view.workspace, folder=view.folder))  # type: ignore[attr-defined]
        self.show_buzz(self.buzz_alert)
