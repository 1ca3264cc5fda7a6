"""Reading what an embed shows before the click, from local HTTPS servers that answer like
the providers' public oEmbed endpoints and pages (tests/feed/providersite.py), reached through
the `link_connect_to` setting: title, author, handle, excerpt and a stored, stripped copy of
the thumbnail; a provider that is down, slow or answers nonsense leaves the plain block."""

from __future__ import annotations

import io
import re
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from bulletin.domain.blocks import EmbedBlock
from bulletin.feed.embedmeta import fill_embeds, read_embed
from bulletin.settings import Settings
from tests.feed.providersite import (
    BLUESKY,
    INSTAGRAM,
    MASTODON,
    TIKTOK,
    VIMEO,
    X_POST,
    YOUTUBE,
    Providers,
    running_providers,
)

STORED = re.compile(r"/media/uploads/([0-9a-f]{32})-(\d+)w\.jpg")


@pytest.fixture
async def providers(tmp_path: Path) -> AsyncIterator[Providers]:
    (tmp_path / "tls").mkdir()
    async with running_providers(tmp_path / "tls") as running:
        yield running


@pytest.fixture
def settings(tmp_path: Path, providers: Providers) -> Settings:
    return Settings(data_dir=tmp_path / "data", link_allow_hosts="localhost",
                    link_ca_file=providers.ca_file, link_connect_to=providers.connect_to(),
                    link_timeout=5.0)


def stored(settings: Settings) -> list[Path]:
    root = settings.data_dir / "media" / "uploads"
    return sorted(root.iterdir()) if root.exists() else []


def thumbnail(block: EmbedBlock, settings: Settings, width: int, height: int) -> None:
    """The block's thumbnail is our own stripped copy of the provider's, at its size."""
    found = STORED.fullmatch(block.image)
    assert found, block.image
    assert (block.image_width, block.image_height) == (width, height)
    names = [p.name for p in stored(settings) if p.name.startswith(found[1])]
    assert f"{found[1]}-{width}w.webp" in names
    for path in stored(settings):
        with Image.open(io.BytesIO(path.read_bytes())) as img:
            assert not img.getexif()


async def test_youtube_gives_title_channel_handle_and_thumbnail(
        providers: Providers, settings: Settings) -> None:
    block = await read_embed(YOUTUBE, settings)
    assert (block.url, block.title, block.author, block.handle, block.excerpt) == (
        YOUTUBE, "Storm surge tops the harbour wall at Kettleby", "Kettleby Gazette",
        "@KettlebyGazette", "")
    thumbnail(block, settings, 480, 360)
    assert providers.seen[0] == ("www.youtube.com/oembed?format=json&url=https%3A%2F%2F"
                                 "www.youtube.com%2Fwatch%3Fv%3DdQw4w9WgXcQ")
    assert providers.asked("i.ytimg.com") == ["i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg?"]


async def test_vimeo_gives_its_description_as_the_excerpt_on_one_line(
        providers: Providers, settings: Settings) -> None:
    block = await read_embed(VIMEO, settings)
    assert (block.title, block.author, block.handle) == (
        "The lifeboat launch, filmed from the pier", "Coastal Films", "")
    assert block.excerpt == ("The crew of the Kettleby lifeboat launch into a force 9 gale at "
                             "dawn.")
    thumbnail(block, settings, 640, 360)


async def test_x_gives_the_posts_words_as_text_and_the_handle_but_no_markup(
        providers: Providers, settings: Settings) -> None:
    block = await read_embed(X_POST, settings)
    assert (block.title, block.author, block.handle) == ("", "Kettleby Council",
                                                         "@KettlebyCouncil")
    assert block.excerpt == ("The coast road is closed between #Kettleby and Marsh End. Please "
                             "don't drive through flood water. pic.twitter.com/AbCdEf")
    assert block.image == "" and stored(settings) == []
    assert providers.seen == [
        "publish.twitter.com/oembed?omit_script=true&dnt=true&url=https%3A%2F%2Fx.com%2F"
        "KettlebyCouncil%2Fstatus%2F1859012345678901234"]


async def test_bluesky_gives_the_posts_words_and_the_handle_from_its_byline(
        providers: Providers, settings: Settings) -> None:
    block = await read_embed(BLUESKY, settings)
    assert (block.author, block.handle, block.excerpt) == (
        "Met Office Watch", "@metwatch.bsky.social", "Red warning for wind extended to 18:00.")


async def test_mastodon_gives_the_author_by_oembed_and_words_and_picture_by_its_page(
        providers: Providers, settings: Settings) -> None:
    block = await read_embed(MASTODON, settings)
    assert block.title == ""  # "New status by …" says nothing
    assert (block.author, block.handle) == ("Kettleby Coastguard",
                                            "@kettlebycoastguard@mastodon.social")
    assert block.excerpt.startswith("Two people rescued from the pier")
    thumbnail(block, settings, 800, 600)
    assert [s.split("?")[0] for s in providers.seen] == [
        "mastodon.social/api/oembed", "mastodon.social/@kettlebycoastguard/113456789012345678",
        "files.mastodon.social/media_attachments/files/113/456/original/pier.jpeg"]


async def test_tiktok_gives_caption_and_a_portrait_cover(providers: Providers,
                                                         settings: Settings) -> None:
    block = await read_embed(TIKTOK, settings)
    assert (block.title, block.author, block.handle) == (
        "Waves over the prom this morning 🌊 #storm #kettleby", "Scout", "@scout2015")
    thumbnail(block, settings, 360, 640)


async def test_a_provider_without_public_oembed_is_read_from_its_pages_opengraph(
        providers: Providers, settings: Settings) -> None:
    block = await read_embed(INSTAGRAM, settings)
    assert block.author == 'Harbour Café on Instagram: "Sandbags at the door again"'
    assert block.excerpt.startswith("214 likes")
    thumbnail(block, settings, 1080, 1080)
    assert providers.asked("www.instagram.com") == ["www.instagram.com/p/C1a2B3c4D5e/?"]


async def test_maps_and_charts_without_a_source_are_not_fetched(
        providers: Providers, settings: Settings) -> None:
    url = "https://www.openstreetmap.org/?mlat=52.52&mlon=13.405#map=15/52.52/13.405"
    assert await read_embed(url, settings) == EmbedBlock(url=url)
    assert providers.seen == []


@pytest.mark.parametrize("host", ["www.youtube.com", "i.ytimg.com"])
async def test_a_provider_that_is_down_costs_only_what_it_would_have_given(
        providers: Providers, settings: Settings, host: str) -> None:
    providers.down.add(host)
    block = await read_embed(YOUTUBE, settings)
    if host == "www.youtube.com":
        assert block == EmbedBlock(url=YOUTUBE)
    else:  # the words came, the picture did not
        assert block.title and block.image == "" and block.image_width == 0
    assert stored(settings) == []


async def test_a_provider_that_hangs_is_given_up_on_in_time(
        providers: Providers, settings: Settings) -> None:
    providers.stall.add("vimeo.com")
    started = time.monotonic()
    block = await read_embed(VIMEO, replace(settings, link_timeout=1.0))
    assert block == EmbedBlock(url=VIMEO)
    assert time.monotonic() - started < 3


async def test_without_the_routing_the_real_hosts_are_never_guessed(
        providers: Providers, settings: Settings) -> None:
    """No `link_connect_to`: the providers are dialled by name, which this machine cannot
    reach (or is refused as private): the plain block, at once, and nothing stored."""
    block = await read_embed(YOUTUBE, replace(settings, link_connect_to="", link_timeout=2.0))
    assert block == EmbedBlock(url=YOUTUBE)
    assert providers.seen == [] and stored(settings) == []


async def test_a_routed_host_must_still_be_public_unless_allow_listed(
        providers: Providers, settings: Settings) -> None:
    """Routing changes where the connection goes, not what is allowed: localhost is private."""
    block = await read_embed(YOUTUBE, replace(settings, link_allow_hosts=""))
    assert block == EmbedBlock(url=YOUTUBE)
    assert providers.seen == []


async def test_a_post_sent_without_a_preview_is_filled_in_and_others_are_left_alone(
        providers: Providers, settings: Settings) -> None:
    body = {"blocks": [
        {"kind": "text", "html": "<p>Scenes from the coast.</p>"},
        {"kind": "embed", "url": YOUTUBE},
        {"kind": "embed", "url": VIMEO, "title": "The journalist's own title"},
        {"kind": "embed", "url": X_POST},
        {"kind": "embed", "url": "https://example.org/not-an-embed"},
    ]}
    await fill_embeds(body, settings, ("mastodon.social",), timeout=3.0)
    yt, vimeo, x, other = body["blocks"][1:]
    assert yt["title"] == "Storm surge tops the harbour wall at Kettleby"
    assert STORED.fullmatch(yt["image"]) and yt["image_width"] == 480
    assert vimeo == {"kind": "embed", "url": VIMEO, "title": "The journalist's own title"}
    assert x["handle"] == "@KettlebyCouncil" and "image" not in x
    assert other == {"kind": "embed", "url": "https://example.org/not-an-embed"}
    assert not providers.asked("vimeo.com")
