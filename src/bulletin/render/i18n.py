"""The reader's interface strings in English and German: a plain catalogue, no toolchain.

Keys are the English text itself, `{name}` placeholders filled with `str.format`. A page
speaks its blog's language by the primary subtag ("de-AT" reads German); a language with no
catalogue reads English, and so does any string a catalogue lacks. Templates call
`{{ _("Live") }}`: the Jinja global reads a `language` context variable, else the context's
`blog.language`, else English. Strings for /static/reader.js travel as JSON in a
`data-strings` attribute (`reader_strings()`), since inline scripts are not allowed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

DEFAULT_LANGUAGE = "en"

# Strings /static/reader.js needs; `{n}` is a count. The script falls back to the key.
SCRIPT_STRINGS: tuple[str, ...] = (
    "1 new update", "{n} new updates", "just now", "{n} min ago", "1 hour ago",
    "{n} hours ago", "yesterday", "{n} days ago", "Paused", "1 update waiting",
    "{n} updates waiting", "Reconnecting…", "Key update", "Key events", "Live", "Ended",
    "Pause live updates", "Resume live updates", "Link copied", "Copy this link:",
)

_ENGLISH: tuple[str, ...] = (
    # page chrome
    "Skip to content", "Live coverage", "Published with Bulletin, open-source live blogs.",
    # blog page and embed
    "Updated", "This live coverage has ended.", "Closing post", "Pinned summary", "Key event",
    "Pause live updates", "Pages of updates", "Newer updates", "Older updates",
    "Page {number} of {total}", "Page {number} of {total} · latest",
    "Page {number} of {total} · earliest", "page {number} of {total}",
    "No updates yet. This page updates itself when they arrive.",
    "Open the full coverage", "Published with Bulletin",
    # posts and blocks
    "Link to this update", "Link", "Correction", "Corrections", "Update at {time}",
    "Watch the video on {site}",
    # sharing a post, the key-events filter
    "Share", "this update", "Share via…", "Copy link", "WhatsApp", "X", "Facebook", "Email",
    "Show", "All updates", "Key events only",
    "Only the key events of this coverage, newest first.",
    "No key events yet. This page updates itself when they arrive.",
    "View the post on {site}", "Follow the latest updates", "Read all updates",
    # embed facades: the card's link, its button, the player frame's title
    "View the chart on {site}", "View the map on {site}", "Play here (loads from {site})",
    "Show here (loads from {site})", "Video from {site}", "Post from {site}",
    "Chart from {site}", "Map from {site}",
    # an embed's thumbnail (its alt text) and a photo's credit line
    "Still from the video", "Picture from the post", "Preview of the chart",
    "Preview of the map", "Photograph: {credit}",
    # index and error pages
    "Recently ended", "No coverage yet. Open a blog with the API:", "Error {status}",
    "We can’t find that page", "Something went wrong", "See all live coverage",
    *SCRIPT_STRINGS,
)

_GERMAN: dict[str, str] = {
    "Skip to content": "Zum Inhalt springen",
    "Live coverage": "Live-Berichterstattung",
    "Published with Bulletin, open-source live blogs.":
        "Veröffentlicht mit Bulletin, Open-Source-Liveblogs.",
    "Updated": "Aktualisiert",
    "Correction": "Korrektur",
    "Corrections": "Korrekturen",
    "This live coverage has ended.": "Diese Live-Berichterstattung ist beendet.",
    "Closing post": "Abschlussmeldung",
    "Pinned summary": "Angeheftete Zusammenfassung",
    "Key event": "Wichtiges Ereignis",
    "Pause live updates": "Live-Updates anhalten",
    "Pages of updates": "Seiten mit Meldungen",
    "Newer updates": "Neuere Meldungen",
    "Older updates": "Ältere Meldungen",
    "Page {number} of {total}": "Seite {number} von {total}",
    "Page {number} of {total} · latest": "Seite {number} von {total} · neueste",
    "Page {number} of {total} · earliest": "Seite {number} von {total} · älteste",
    "page {number} of {total}": "Seite {number} von {total}",
    "No updates yet. This page updates itself when they arrive.":
        "Noch keine Meldungen. Diese Seite aktualisiert sich, sobald welche eintreffen.",
    "Open the full coverage": "Zur vollständigen Berichterstattung",
    "Published with Bulletin": "Veröffentlicht mit Bulletin",
    "Link to this update": "Link zu dieser Meldung",
    "Share": "Teilen",
    "this update": "diese Meldung",
    "Share via…": "Teilen über…",
    "Copy link": "Link kopieren",
    "WhatsApp": "WhatsApp",
    "X": "X",
    "Facebook": "Facebook",
    "Email": "E-Mail",
    "Link copied": "Link kopiert",
    "Copy this link:": "Diesen Link kopieren:",
    "Resume live updates": "Live-Updates fortsetzen",
    "Show": "Anzeigen",
    "All updates": "Alle Meldungen",
    "Key events only": "Nur wichtige Ereignisse",
    "Only the key events of this coverage, newest first.":
        "Nur die wichtigen Ereignisse dieser Berichterstattung, die neuesten zuerst.",
    "No key events yet. This page updates itself when they arrive.":
        "Noch keine wichtigen Ereignisse. Diese Seite aktualisiert sich, sobald welche "
        "eintreffen.",
    "Link": "Link",
    "Update at {time}": "Meldung um {time}",
    "Watch the video on {site}": "Video auf {site} ansehen",
    "View the post on {site}": "Beitrag auf {site} ansehen",
    "View the chart on {site}": "Grafik auf {site} ansehen",
    "View the map on {site}": "Karte auf {site} ansehen",
    "Play here (loads from {site})": "Hier abspielen (lädt von {site})",
    "Show here (loads from {site})": "Hier anzeigen (lädt von {site})",
    "Video from {site}": "Video von {site}",
    "Post from {site}": "Beitrag von {site}",
    "Chart from {site}": "Grafik von {site}",
    "Map from {site}": "Karte von {site}",
    "Still from the video": "Standbild aus dem Video",
    "Picture from the post": "Bild aus dem Beitrag",
    "Preview of the chart": "Vorschau der Grafik",
    "Preview of the map": "Vorschau der Karte",
    "Photograph: {credit}": "Foto: {credit}",
    "Follow the latest updates": "Den neuesten Meldungen folgen",
    "Read all updates": "Alle Meldungen lesen",
    "Recently ended": "Kürzlich beendet",
    "No coverage yet. Open a blog with the API:":
        "Noch keine Berichterstattung. Einen Blog über die API eröffnen:",
    "Error {status}": "Fehler {status}",
    "We can’t find that page": "Diese Seite gibt es nicht",
    "Something went wrong": "Etwas ist schiefgegangen",
    "See all live coverage": "Alle Live-Berichterstattungen",
    "1 new update": "1 neue Meldung",
    "{n} new updates": "{n} neue Meldungen",
    "just now": "gerade eben",
    "{n} min ago": "vor {n} Min.",
    "1 hour ago": "vor 1 Stunde",
    "{n} hours ago": "vor {n} Stunden",
    "yesterday": "gestern",
    "{n} days ago": "vor {n} Tagen",
    "Paused": "Angehalten",
    "1 update waiting": "1 Meldung wartet",
    "{n} updates waiting": "{n} Meldungen warten",
    "Reconnecting…": "Verbindung wird wiederhergestellt…",
    "Key update": "Wichtige Meldung",
    "Key events": "Wichtige Ereignisse",
    "Live": "Live",
    "Ended": "Beendet",
}

CATALOGUES: dict[str, dict[str, str]] = {
    "en": {text: text for text in _ENGLISH},
    "de": _GERMAN,
}


_DAYS: dict[str, tuple[str, ...]] = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
}
_MONTHS: dict[str, tuple[str, ...]] = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"),
}


def full_date(moment: datetime, zone: str, language: str) -> str:
    """A permalink's date, spelt out: "Saturday 5 December 2026, 21:40 GMT" ("Samstag,
    5. Dezember 2026, 21:40 CET"). `moment` is already in the blog's zone."""
    lang = primary(language)
    day, month = _DAYS[lang][moment.weekday()], _MONTHS[lang][moment.month - 1]
    if lang == "de":
        return f"{day}, {moment.day}. {month} {moment.year}, {moment:%H:%M} {zone}"
    return f"{day} {moment.day} {month} {moment.year}, {moment:%H:%M} {zone}"


def primary(language: str | None) -> str:
    """The catalogue a language tag reads: its primary subtag if there is one, else English."""
    tag = (language or "").replace("_", "-").split("-")[0].strip().lower()
    return tag if tag in CATALOGUES else DEFAULT_LANGUAGE


@lru_cache(maxsize=16)
def translator(language: str) -> Callable[..., str]:
    """`_(text, **values)` for a language: its catalogue's text, else English, formatted."""
    own = CATALOGUES[primary(language)]
    english = CATALOGUES[DEFAULT_LANGUAGE]

    def _(text: str, **values: Any) -> str:
        found = own.get(text) or english.get(text) or text
        return found.format(**values) if values else found

    return _


def script_strings(language: str) -> str:
    """The reader script's strings in a language, as compact JSON for `data-strings`."""
    _ = translator(language)
    return json.dumps({key: _(key) for key in SCRIPT_STRINGS}, ensure_ascii=False,
                      separators=(",", ":"))


def context_language(context: Context | Mapping[str, Any]) -> str:
    """The language a template speaks: `language` if set, else its blog's, else English."""
    language = context.get("language")
    if isinstance(language, str) and language:
        return language
    blog = context.get("blog")
    value = getattr(blog, "language", None)
    return value if isinstance(value, str) and value else DEFAULT_LANGUAGE


@pass_context
def gettext(context: Context, text: str, **values: Any) -> str:
    return translator(context_language(context))(text, **values)


@pass_context
def reader_strings(context: Context) -> str:
    return script_strings(context_language(context))
