"""The interface catalogue: English and German say the same things, with the same blanks."""

from __future__ import annotations

import json
import string

import pytest

from bulletin.render.i18n import CATALOGUES, SCRIPT_STRINGS, primary, script_strings, translator
from bulletin.render.templating import environment


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_english_and_german_have_the_same_keys() -> None:
    assert set(CATALOGUES["en"]) == set(CATALOGUES["de"])


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_translation_keeps_the_keys_placeholders(language: str) -> None:
    for key, text in CATALOGUES[language].items():
        assert text.strip(), (language, key)
        assert placeholders(text) == placeholders(key), (language, key, text)


def test_english_entries_are_their_own_keys() -> None:
    assert all(key == text for key, text in CATALOGUES["en"].items())


def test_every_script_string_is_in_the_catalogue() -> None:
    assert set(SCRIPT_STRINGS) <= set(CATALOGUES["en"])


@pytest.mark.parametrize(("tag", "expected"), [
    ("de", "de"), ("de-AT", "de"), ("DE-ch", "de"), ("de_DE", "de"), ("en-GB", "en"),
    ("xx", "en"), ("ar", "en"), ("", "en"),
])
def test_the_primary_subtag_picks_the_catalogue(tag: str, expected: str) -> None:
    assert primary(tag) == expected


def test_translator_formats_counts_in_the_blogs_language() -> None:
    assert translator("de-AT")("Page {number} of {total}", number=1, total=2) == "Seite 1 von 2"
    assert translator("en")("Page {number} of {total}", number=1, total=2) == "Page 1 of 2"
    assert translator("de")("Updated") == "Aktualisiert"


def test_unknown_languages_and_unknown_strings_fall_back_to_english() -> None:
    assert translator("xx")("Updated") == "Updated"
    assert translator("ar")("Live") == "Live"
    assert translator("de")("A sentence nobody translated") == "A sentence nobody translated"


def test_script_strings_are_json_in_the_blogs_language() -> None:
    german = json.loads(script_strings("de"))
    assert set(german) == set(SCRIPT_STRINGS)
    assert german["{n} new updates"] == "{n} neue Meldungen"
    assert json.loads(script_strings("xx"))["just now"] == "just now"


def test_templates_translate_from_the_language_in_their_context() -> None:
    template = environment().from_string(
        '{{ _("Older updates") }}|{{ _("Error {status}", status=5) }}')
    assert template.render(language="de") == "Ältere Meldungen|Fehler 5"
    assert template.render() == "Older updates|Error 5"
