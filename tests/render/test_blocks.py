"""How photo credits and link cards read on the page: "Photograph: Reuters" in the blog's
language unless the credit already says what it is; a link card's title never repeats the
site's name and is never a raw address (the card then names the site, as the site)."""

from __future__ import annotations

import pytest

from bulletin.domain.blocks import EmbedBlock, ImageBlock, LinkBlock
from bulletin.render.templating import environment
from tests.web.test_pages import Node, parse


def render(block: object, language: str = "en") -> Node:
    html = environment().get_template("_block.html").render(block=block, language=language)
    return parse(html)


def credit(text: str, language: str = "en") -> str:
    block = ImageBlock(url="https://img.example/a.jpg", alt="Flooded street", caption="Water",
                       credit=text)
    return render(block, language).find(class_="credit").content


@pytest.mark.parametrize(("given", "language", "shown"), [
    ("Reuters", "en", "Photograph: Reuters"),
    ("A. Photographer/Agency", "en", "Photograph: A. Photographer/Agency"),
    ("Reuters", "de", "Foto: Reuters"),
    ("Reuters", "de-AT", "Foto: Reuters"),
    ("Reuters", "fr", "Photograph: Reuters"),  # no French catalogue: English
    ("Photograph: Reuters", "en", "Photograph: Reuters"),
    ("Photo: AP", "en", "Photo: AP"),
    ("photos by Sam Lee", "en", "photos by Sam Lee"),
    ("Picture: PA", "en", "Picture: PA"),
    ("© Reuters", "en", "© Reuters"),
    ("(c) 2024 Kettleby Gazette", "en", "(c) 2024 Kettleby Gazette"),
    ("Copyright Sam Lee", "en", "Copyright Sam Lee"),
    ("Illustration: Guardian Design", "en", "Illustration: Guardian Design"),
    ("Screengrab: BBC", "en", "Screengrab: BBC"),
    ("Handout", "en", "Handout"),
    ("Foto: dpa", "de", "Foto: dpa"),
    ("Bild: Keystone", "de", "Bild: Keystone"),
    # A name that merely starts like a word is a name.
    ("Photonics Lab", "en", "Photograph: Photonics Lab"),
    ("Pictet Archive", "en", "Photograph: Pictet Archive"),
])
def test_a_credit_says_photograph_unless_it_already_says_what_it_is(
        given: str, language: str, shown: str) -> None:
    assert credit(given, language) == shown


def test_no_credit_no_credit_line() -> None:
    block = ImageBlock(url="https://img.example/a.jpg", alt="Flooded street", caption="Water")
    assert render(block).find_all(class_="credit") == []


def card(**fields: str) -> Node:
    block = LinkBlock(**{"url": "https://www.bbc.co.uk/news/uk-123", **fields})
    return render(block).find("a", class_="link-card")


def test_a_link_card_drops_the_site_name_from_its_title() -> None:
    a = card(title="Floods close the coast road | BBC News", site="BBC News")
    assert a.find(class_="link-card__site").content == "BBC News"
    assert a.find(class_="link-card__title").content == "Floods close the coast road"


@pytest.mark.parametrize("title", ["", "https://www.bbc.co.uk/news/uk-123", "BBC News",
                                   "bbc.co.uk/news/uk-123"])
def test_a_link_card_without_a_real_title_names_the_site_as_such(title: str) -> None:
    a = card(title=title, site="BBC News")
    assert "link-card--untitled" in a.attrs["class"]
    assert a.find(class_="link-card__title").content == "BBC News"
    assert a.find(class_="link-card__site").content == "bbc.co.uk"  # where it goes
    assert "https://" not in a.content and "uk-123" not in a.content


def test_a_link_card_without_title_or_site_name_shows_the_host_once() -> None:
    a = card()
    assert a.find(class_="link-card__title").content == "bbc.co.uk"
    assert a.find_all(class_="link-card__site") == []


def test_an_embed_without_metadata_is_todays_plain_card() -> None:
    node = render(EmbedBlock(url="https://vimeo.com/76979871"))
    card_ = node.find("div", class_="embed-card")
    assert "embed-card--rich" not in card_.attrs["class"]
    assert card_.find(class_="embed-card__action").content == "Watch the video on Vimeo ↗"
    assert card_.find(class_="embed-card__url").content == "vimeo.com"
    assert card_.find_all("img") == [] and card_.find_all(class_="embed-card__icon")


def test_an_embed_with_words_but_no_picture_keeps_its_icon_and_says_who() -> None:
    node = render(EmbedBlock(url="https://x.com/KettlebyCouncil/status/1859012345678901234",
                             author="Kettleby Council", handle="@KettlebyCouncil",
                             excerpt="The coast road is closed."), "de")
    card_ = node.find("div", class_="embed-card")
    assert "embed-card--rich" in card_.attrs["class"]
    assert "embed-card--thumb" not in card_.attrs["class"]
    assert card_.find(class_="embed-card__byline").content == "Kettleby Council @KettlebyCouncil"
    assert card_.find(class_="embed-card__excerpt").content == "The coast road is closed."
    assert card_.find(class_="embed-card__action").content == "Beitrag auf X ansehen ↗"
    assert card_.find_all(class_="embed-card__url") == []


def test_a_thumbnail_not_stored_by_us_is_never_shown() -> None:
    """Only the block parser lets an upload in; a row written by hand still cannot make a
    reader's browser call another site."""
    node = render(EmbedBlock(url="https://vimeo.com/76979871", title="Launch",
                             image="https://i.vimeocdn.com/x.jpg", image_width=640,
                             image_height=360))
    assert node.find_all("img") == []
