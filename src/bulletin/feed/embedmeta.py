"""Reading what an embed shows before the click: the provider's oEmbed answer (title, author,
thumbnail), else or also the address's own page (OpenGraph), and a copy of the thumbnail
in our uploads, so the facade shows something while readers still call nobody but us.

Everything goes through `LinkReader`, the link cards' guarded fetch (https only, private
addresses refused at connection time, one deadline, a byte cap). Nothing here may stop a
journalist: whatever fails (the provider is down, slow, answers nonsense, the picture is
broken) only leaves the facade as it was before, the plain card with the provider's name.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection
from typing import Any

from bulletin.domain import embeds
from bulletin.domain.blocks import EmbedBlock
from bulletin.domain.embedmeta import EmbedMeta, from_card, from_oembed
from bulletin.domain.errors import ValidationError
from bulletin.feed.linkcards import LinkReader
from bulletin.media.photos import StoredPhoto
from bulletin.settings import Settings

log = logging.getLogger("bulletin.embeds")
#: Fields of an embed block other than its address: a block with none of them was sent
#: without a preview (a script), and is worth reading when it is published.
META_KEYS = frozenset({"title", "author", "handle", "excerpt", "image", "image_width",
                       "image_height"})


async def _meta(reader: LinkReader, where: embeds.Sources, kind: embeds.Kind) -> EmbedMeta:
    meta = EmbedMeta()
    if where.oembed:
        try:
            meta = from_oembed(await reader.json(where.oembed), where.oembed)
        except ValidationError as exc:
            log.info("oEmbed %s left out: %s", where.oembed, exc.message)
    if where.page and not meta.complete:
        try:
            _, card = await reader.page_card(where.page)
            meta = meta.filled(from_card(card, kind))
        except ValidationError as exc:
            log.info("page %s left out: %s", where.page, exc.message)
    return meta


async def read_embed(url: str, settings: Settings, *, timeout: float | None = None
                     ) -> EmbedBlock:
    """The embed block for a recognised address, with what its provider says about it; the
    bare block (address only) when the provider says nothing usable within `timeout`
    seconds (the `link_timeout` setting unless given)."""
    embed = embeds.recognise_stored(url)
    where = embeds.sources(url)
    if embed is None or where is None or not (where.oembed or where.page):
        return EmbedBlock(url=url)
    budget = settings.link_timeout if timeout is None else min(timeout, settings.link_timeout)
    deadline = asyncio.get_running_loop().time() + budget
    meta = EmbedMeta()
    photo: StoredPhoto | None = None
    try:
        async with LinkReader(settings) as reader:
            try:
                async with asyncio.timeout_at(deadline):
                    meta = await _meta(reader, where, embed.kind)
            except TimeoutError:
                log.info("%s said nothing within %g s", url, budget)
            if meta.picture:
                photo = await reader.picture(meta.picture, deadline)
    except Exception:  # never let a provider (or a full disk) stop a post: the plain card
        log.exception("reading %s for its facade failed", url)
        return EmbedBlock(url=url)
    return EmbedBlock(url=url, title=meta.title, author=meta.author, handle=meta.handle,
                      excerpt=meta.excerpt, image=photo.url if photo else "",
                      image_width=photo.width if photo else 0,
                      image_height=photo.height if photo else 0)


def bare_embeds(raw: object, mastodon_hosts: Collection[str]) -> list[dict[str, Any]]:
    """The embed blocks of a post body that carry nothing but a recognised address."""
    blocks = raw.get("blocks") if isinstance(raw, dict) else None
    if not isinstance(blocks, list):
        return []
    return [b for b in blocks if isinstance(b, dict) and b.get("kind") == "embed"
            and isinstance(b.get("url"), str) and not (META_KEYS & set(b))
            and embeds.recognise(b["url"], mastodon_hosts)]


async def fill_embeds(raw: object, settings: Settings, mastodon_hosts: Collection[str], *,
                      timeout: float) -> None:
    """Fill in, in place and all at once, the embed blocks of a post body sent without a
    preview, within `timeout` seconds in all; those that fail stay as they were."""
    bare = bare_embeds(raw, mastodon_hosts)
    if not bare:
        return
    found = await asyncio.gather(*(read_embed(b["url"].strip(), settings, timeout=timeout)
                                   for b in bare))
    for block, embed in zip(bare, found, strict=True):
        block.update({k: v for k, v in {
            "title": embed.title, "author": embed.author, "handle": embed.handle,
            "excerpt": embed.excerpt, "image": embed.image, "image_width": embed.image_width,
            "image_height": embed.image_height}.items() if v})
