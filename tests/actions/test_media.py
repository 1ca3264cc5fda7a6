"""Unused uploads: removed by the operator's housekeeping once old enough; anything a post,
a draft, an old version or a link card names is kept."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from bulletin.actions import drafts
from bulletin.actions import posts as post_actions
from bulletin.actions.media import GRACE, prune_unused
from bulletin.actions.newsroom import Newsroom
from bulletin.cli import main
from bulletin.domain.blog import Blog
from bulletin.domain.roles import Actor
from bulletin.media.photos import StoredPhoto, store_photo
from bulletin.media.storage import storage_for
from bulletin.settings import Settings
from tests.actions.conftest import Clock


def jpeg(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (shade, 80, 120)).save(out, "JPEG")
    return out.getvalue()


def photo_block(photo: StoredPhoto) -> dict[str, object]:
    return {"kind": "image", "url": photo.url, "alt": "The bridge", "width": photo.width,
            "height": photo.height}


def ids_on_disk(settings: Settings) -> set[str]:
    return {p.name.split("-")[0] for p in storage_for(settings).root.iterdir()}


async def test_only_photos_nothing_uses_are_removed_and_only_once_old_enough(
        newsroom: Newsroom, admin: Actor, blog: Blog, clock: Clock, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    published, drafted, replaced, card, unused = [
        await store_photo(settings, jpeg(shade)) for shade in (10, 60, 110, 160, 210)]
    post = await post_actions.publish(newsroom, admin, blog.slug,
                                      {"blocks": [photo_block(replaced)]})
    await post_actions.edit(newsroom, admin, blog.slug, post.post.id, {"blocks": [
        photo_block(published),
        {"kind": "link", "url": "https://news.example/report", "image": card.url}]},
        expected_version=post.post.version)
    await drafts.save_draft(newsroom, admin, blog.slug, {"blocks": [photo_block(drafted)]})
    clock.moment = datetime.now(UTC)
    storage = storage_for(settings)

    young = await prune_unused(newsroom, storage)
    assert (young.photos, young.kept) == (0, 5)  # all just uploaded: a composer may be busy

    clock.advance(GRACE + timedelta(hours=1))
    preview = await prune_unused(newsroom, storage, dry_run=True)
    assert (preview.photos, preview.files, preview.kept) == (1, 4, 4)  # 320 + 400 px, 2 kinds
    assert unused.id in ids_on_disk(settings)  # a dry run touches nothing

    done = await prune_unused(newsroom, storage)
    assert (done.photos, done.files, done.bytes) == (1, 4, preview.bytes) and done.bytes > 0
    assert ids_on_disk(settings) == {published.id, drafted.id, replaced.id, card.id}


def test_the_operator_prunes_from_the_command_line(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'site.db'}"
    where = ["--database-url", db, "--data-dir", str(tmp_path)]
    assert main(["prune-media", "--dry-run", *where]) == 0
    assert "Would remove 0 unused photo(s): 0 file(s), 0.0 MB; kept 0." in capsys.readouterr().out
    assert main(["prune-media", "--days", "-1", *where]) == 2
    assert "--days cannot be negative" in capsys.readouterr().err
