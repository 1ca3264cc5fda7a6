"""Embed addresses: every provider's usual address shapes give its id and its player; look-
alikes, other schemes and addresses without an id are refused; the CSP's frame-src follows."""

from __future__ import annotations

import pytest

from bulletin.domain.blocks import EmbedBlock, parse_blocks
from bulletin.domain.embeds import (
    DEFAULT_MASTODON_HOSTS,
    NAMES,
    check,
    frame_origins,
    mastodon_hosts,
    provider_of,
    recognise,
    recognise_stored,
)
from bulletin.domain.errors import ValidationError
from bulletin.render.sanitize import sanitize_html

YT = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
TWEET = "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=1859012345678901234"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
BSKY = f"https://embed.bsky.app/embed/{DID}/app.bsky.feed.post/3kkrqzuydho2v"
FB_POST = ("https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2F"
           "FacebookforDevelopers%2Fposts%2F696408974555431&show_text=true&width=500")
FB_WATCH = ("https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com"
            "%2Fwatch%2F%3Fv%3D224353158889229&show_text=false")
OSM = "https://www.openstreetmap.org/export/embed.html?bbox="

SHAPES = [
    # YouTube: watch, short link, shorts, embed, live, mobile; a start time carries over.
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "YouTube", "dQw4w9WgXcQ", YT),
    ("https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ", "YouTube", "dQw4w9WgXcQ", YT),
    ("http://youtu.be/dQw4w9WgXcQ", "YouTube", "dQw4w9WgXcQ", YT),
    ("https://youtu.be/dQw4w9WgXcQ?t=42", "YouTube", "dQw4w9WgXcQ", YT + "&start=42"),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s", "YouTube", "dQw4w9WgXcQ",
     YT + "&start=90"),
    ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "YouTube", "dQw4w9WgXcQ", YT),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ", "YouTube", "dQw4w9WgXcQ", YT),
    ("https://www.youtube.com/live/dQw4w9WgXcQ?si=x1", "YouTube", "dQw4w9WgXcQ", YT),
    ("https://m.youtube.com/watch?v=dQw4w9WgXcQ", "YouTube", "dQw4w9WgXcQ", YT),
    # Vimeo: plain, unlisted (with its hash), channel, showcase, the player itself.
    ("https://vimeo.com/76979871", "Vimeo", "76979871",
     "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
    ("https://vimeo.com/76979871/8272103f6e", "Vimeo", "76979871",
     "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1&h=8272103f6e"),
    ("https://vimeo.com/channels/staffpicks/76979871", "Vimeo", "76979871",
     "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
    ("https://vimeo.com/showcase/9876543/video/76979871", "Vimeo", "76979871",
     "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
    ("https://player.vimeo.com/video/76979871", "Vimeo", "76979871",
     "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
    # X and Twitter: status ids, with or without a photo suffix or a query.
    ("https://x.com/KettlebyCouncil/status/1859012345678901234", "X", "1859012345678901234",
     TWEET),
    ("https://twitter.com/KettlebyCouncil/status/1859012345678901234?s=20", "X",
     "1859012345678901234", TWEET),
    ("https://mobile.twitter.com/KettlebyCouncil/status/1859012345678901234/photo/1", "X",
     "1859012345678901234", TWEET),
    ("https://x.com/i/web/status/1859012345678901234", "X", "1859012345678901234", TWEET),
    # Instagram: posts and reels, with the newer user prefix too.
    ("https://www.instagram.com/p/C1a2B3c4D5e/", "Instagram", "C1a2B3c4D5e",
     "https://www.instagram.com/p/C1a2B3c4D5e/embed/"),
    ("https://instagram.com/natgeo/p/C1a2B3c4D5e/?img_index=1", "Instagram", "C1a2B3c4D5e",
     "https://www.instagram.com/p/C1a2B3c4D5e/embed/"),
    ("https://www.instagram.com/reel/C9xYz-_AbCd/?igsh=abc", "Instagram", "C9xYz-_AbCd",
     "https://www.instagram.com/reel/C9xYz-_AbCd/embed/"),
    ("https://www.instagram.com/reels/C9xYz-_AbCd/", "Instagram", "C9xYz-_AbCd",
     "https://www.instagram.com/reel/C9xYz-_AbCd/embed/"),
    # TikTok: a video page, the embed itself, the old mobile page.
    ("https://www.tiktok.com/@scout2015/video/6718335390845095173?lang=de", "TikTok",
     "6718335390845095173", "https://www.tiktok.com/embed/v2/6718335390845095173"),
    ("https://www.tiktok.com/embed/v2/6718335390845095173", "TikTok", "6718335390845095173",
     "https://www.tiktok.com/embed/v2/6718335390845095173"),
    ("https://m.tiktok.com/v/6718335390845095173.html", "TikTok", "6718335390845095173",
     "https://www.tiktok.com/embed/v2/6718335390845095173"),
    # Facebook: posts and videos go to the post and video plugins, with a clean address.
    ("https://www.facebook.com/FacebookforDevelopers/posts/696408974555431", "Facebook",
     "696408974555431", FB_POST),
    ("https://m.facebook.com/FacebookforDevelopers/posts/696408974555431?ref=x", "Facebook",
     "696408974555431", FB_POST),
    ("https://www.facebook.com/watch/?v=224353158889229", "Facebook", "224353158889229",
     FB_WATCH),
    ("https://www.facebook.com/nasa/videos/a-walk-in-space/10153231379946729/", "Facebook",
     "10153231379946729",
     "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fnasa"
     "%2Fvideos%2F10153231379946729%2F&show_text=false"),
    # Bluesky: the author's DID embeds.
    (f"https://bsky.app/profile/{DID}/post/3kkrqzuydho2v", "Bluesky",
     f"{DID}/3kkrqzuydho2v", BSKY),
    # Mastodon: servers of the setting; both address forms.
    ("https://mastodon.social/@kettlebycoastguard/113456789012345678", "Mastodon",
     "113456789012345678", "https://mastodon.social/@kettlebycoastguard/113456789012345678/embed"),
    ("https://journa.host/users/reporter/statuses/113456789012345678", "Mastodon",
     "113456789012345678", "https://journa.host/@reporter/113456789012345678/embed"),
    # Threads: either domain.
    ("https://www.threads.net/@zuck/post/C8abcdEFGh1", "Threads", "C8abcdEFGh1",
     "https://www.threads.net/@zuck/post/C8abcdEFGh1/embed"),
    ("https://www.threads.com/@zuck/post/C8abcdEFGh1?xmt=1", "Threads", "C8abcdEFGh1",
     "https://www.threads.net/@zuck/post/C8abcdEFGh1/embed"),
    # Datawrapper: the published chart (a version or the newest), the share and editor links.
    ("https://datawrapper.dwcdn.net/AbC12/3/", "Datawrapper", "AbC12",
     "https://datawrapper.dwcdn.net/AbC12/3/"),
    ("https://datawrapper.dwcdn.net/AbC12/", "Datawrapper", "AbC12",
     "https://datawrapper.dwcdn.net/AbC12/"),
    ("https://www.datawrapper.de/_/AbC12/", "Datawrapper", "AbC12",
     "https://datawrapper.dwcdn.net/AbC12/"),
    ("https://app.datawrapper.de/chart/AbC12/visualize", "Datawrapper", "AbC12",
     "https://datawrapper.dwcdn.net/AbC12/"),
    # Flourish: visualisations and stories, public page or embed.
    ("https://public.flourish.studio/visualisation/1234567/", "Flourish", "1234567",
     "https://flo.uri.sh/visualisation/1234567/embed"),
    ("https://flo.uri.sh/visualisation/1234567/embed", "Flourish", "1234567",
     "https://flo.uri.sh/visualisation/1234567/embed"),
    ("https://public.flourish.studio/story/98765/", "Flourish", "98765",
     "https://flo.uri.sh/story/98765/embed"),
]


@pytest.mark.parametrize(("url", "provider", "ident", "player"), SHAPES)
def test_every_provider_gives_its_id_and_player(url: str, provider: str, ident: str,
                                                player: str) -> None:
    embed = recognise(url)
    assert embed is not None, url
    assert (embed.provider, embed.id, embed.player) == (provider, ident, player)
    assert embed.player.startswith("https://")
    assert embed.origin in frame_origins(), "the CSP must let the player load"


def test_every_provider_is_covered() -> None:
    assert {p for _, p, _, _ in SHAPES} | {"OpenStreetMap"} == set(NAMES)


@pytest.mark.parametrize(("url", "ident", "marker"), [
    ("https://www.openstreetmap.org/#map=15/52.52000/13.40500", "15/52.52000/13.40500", False),
    ("https://www.openstreetmap.org/?mlat=52.52&mlon=13.405#map=17/52.52/13.405&layers=H",
     "17/52.52000/13.40500", True),
    ("https://openstreetmap.org/?mlat=-33.8688&mlon=151.2093", "15/-33.86880/151.20930", True),
])
def test_openstreetmap_views_become_the_export_map(url: str, ident: str, marker: bool) -> None:
    embed = recognise(url)
    assert embed is not None
    assert (embed.provider, embed.id, embed.kind) == ("OpenStreetMap", ident, "map")
    assert embed.player.startswith(OSM) and "&layer=mapnik" in embed.player
    west, south, east, north = (float(v) for v in
                                embed.player.removeprefix(OSM).split("&")[0].split("%2C"))
    _, lat, lon = (float(v) for v in ident.split("/"))
    assert west < lon < east and south < lat < north
    assert ("&marker=" in embed.player) is marker


def test_videos_posts_and_charts_carry_their_size_and_permissions() -> None:
    video = recognise("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    short = recognise("https://www.youtube.com/shorts/dQw4w9WgXcQ")
    post = recognise("https://x.com/KettlebyCouncil/status/1859012345678901234")
    chart = recognise("https://datawrapper.dwcdn.net/AbC12/3/")
    assert video and short and post and chart
    assert video.is_video and video.ratio == "16 / 9" and "autoplay" in video.allow
    assert short.ratio == "9 / 16"
    assert not post.is_video and post.height > 0 and post.width > 0 and post.allow == ""
    assert chart.kind == "chart" and chart.height > 0


@pytest.mark.parametrize("url", [
    "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://evilyoutube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
    "https://x.com.evil.example/KettlebyCouncil/status/1859012345678901234",
    "https://notx.com/KettlebyCouncil/status/1859012345678901234",
    "https://instagram.com.evil.example/p/C1a2B3c4D5e/",
    "https://fakebsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3kkrqzuydho2v",
    "https://evil.example/?u=https://www.youtube.com/watch?v=dQw4w9WgXcQ",
])
def test_look_alike_hosts_are_not_recognised(url: str) -> None:
    assert recognise(url) is None
    assert recognise_stored(url) is None


@pytest.mark.parametrize("url", [
    "https://evil.example/@reporter/113456789012345678",
    "https://mastodon.social.evil.example/@reporter/113456789012345678",
    "https://www.mastodon.social/@reporter/113456789012345678",
])
def test_mastodon_servers_match_by_exact_host_name(url: str) -> None:
    assert recognise(url) is None


@pytest.mark.parametrize("url", [
    "javascript:alert(1)",
    "javascript://www.youtube.com/%0aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "//www.youtube.com/watch?v=dQw4w9WgXcQ",
    "www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://[::1]/watch?v=dQw4w9WgXcQ",
    "",
])
def test_only_web_addresses_are_recognised(url: str) -> None:
    assert recognise(url) is None
    assert recognise_stored(url) is None


@pytest.mark.parametrize("url", [
    "https://www.youtube.com/about",
    "https://www.youtube.com/watch?v=short",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload",
    "https://www.youtube.com/shorts/../../evil",
    "https://youtu.be/",
    "https://vimeo.com/about",
    "https://x.com/KettlebyCouncil",
    "https://x.com/KettlebyCouncil/status/abc",
    "https://www.instagram.com/natgeo/",
    "https://vm.tiktok.com/ZMabc123/",
    "https://fb.watch/3zYsXdnxjf/",
    "https://www.facebook.com/groups/123/",
    "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur",
    "https://mastodon.social/about",
    "https://mastodon.social/@reporter",
    "https://www.threads.net/@zuck",
    "https://datawrapper.dwcdn.net/toolong1/1/",
    "https://public.flourish.studio/visualisation/abc/",
    "https://www.openstreetmap.org/#map=25/52.52/13.40",
    "https://www.openstreetmap.org/#map=15/95.0/13.40",
    "https://www.openstreetmap.org/about",
])
def test_a_known_provider_without_an_id_is_not_an_embed(url: str) -> None:
    assert recognise(url) is None


def test_a_bluesky_handle_address_is_recognised_but_only_linked() -> None:
    """Bluesky's embed needs the author's DID; a handle would need a lookup (network), so
    readers get the card and its link, no player."""
    embed = recognise("https://bsky.app/profile/kettleby-council.bsky.social/post/3lbxq2kz7ms2a")
    assert embed is not None
    assert (embed.provider, embed.id) == ("Bluesky", "kettleby-council.bsky.social/3lbxq2kz7ms2a")
    assert embed.player == ""


def test_mastodon_posts_embed_from_the_configured_servers_only() -> None:
    url = "https://chaos.social/@reporter/113456789012345678"
    assert recognise(url) is None
    embed = recognise(url, mastodon_hosts=("chaos.social",))
    assert embed is not None
    assert embed.player == "https://chaos.social/@reporter/113456789012345678/embed"
    assert recognise("https://mastodon.social/@reporter/1", mastodon_hosts=("chaos.social",)
                     ) is None
    # A stored block passed that check when it was saved; its page's CSP has the last word.
    stored = recognise_stored(url)
    assert stored is not None and stored.player == embed.player


def test_the_mastodon_setting_is_read_as_plain_host_names() -> None:
    assert mastodon_hosts("mastodon.social, Chaos.Social.  journa.host,,") == (
        "mastodon.social", "chaos.social", "journa.host")
    assert mastodon_hosts("https://evil.example; script-src *, evil.example/path, 'self'") == ()
    assert mastodon_hosts("") == ()
    assert mastodon_hosts(["mastodon.social", "mastodon.social"]) == ("mastodon.social",)


def test_frame_origins_are_exactly_the_players_and_the_mastodon_servers() -> None:
    fixed = {"https://www.youtube-nocookie.com", "https://player.vimeo.com",
             "https://platform.twitter.com", "https://www.instagram.com",
             "https://www.tiktok.com", "https://www.facebook.com", "https://embed.bsky.app",
             "https://www.threads.net", "https://www.threads.com",
             "https://datawrapper.dwcdn.net", "https://flo.uri.sh",
             "https://www.openstreetmap.org"}
    assert set(frame_origins(())) == fixed
    assert set(frame_origins(("chaos.social",))) == fixed | {"https://chaos.social"}
    assert set(frame_origins()) == fixed | {f"https://{h}" for h in DEFAULT_MASTODON_HOSTS}
    assert list(frame_origins()) == sorted(frame_origins())


def test_provider_of_names_the_host_even_without_an_id() -> None:
    assert provider_of("https://www.youtube.com/about").name == "YouTube"  # type: ignore[union-attr]
    assert provider_of("https://news.example/") is None
    assert provider_of("https://youtube.com.evil.example/") is None


def test_check_explains_what_to_do() -> None:
    with pytest.raises(ValidationError) as unknown:
        check("https://news.example/report", "blocks.0.url")
    assert unknown.value.field == "blocks.0.url"
    assert "news.example" in unknown.value.message and "link card" in unknown.value.message
    assert all(name in unknown.value.message for name in NAMES)

    with pytest.raises(ValidationError) as no_id:
        check("https://www.youtube.com/about", "blocks.0.url")
    assert "YouTube" in no_id.value.message and "youtube.com/watch?v=" in no_id.value.message

    with pytest.raises(ValidationError) as other_server:
        check("https://chaos.social/@reporter/113456789012345678", "blocks.0.url")
    assert "BULLETIN_EMBED_MASTODON_HOSTS" in other_server.value.message


def test_parse_blocks_checks_embeds_against_the_given_mastodon_servers() -> None:
    raw = [{"kind": "embed", "url": "https://chaos.social/@reporter/113456789012345678"}]
    with pytest.raises(ValidationError) as refused:
        parse_blocks(raw, sanitize_html)
    assert refused.value.field == "blocks.0.url"
    blocks = parse_blocks(raw, sanitize_html, mastodon_hosts=("chaos.social",))
    assert blocks == (EmbedBlock(url=raw[0]["url"]),)
