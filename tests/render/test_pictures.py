"""Uploaded photos come with every stored width, WebP first; other photos as they are."""

from __future__ import annotations

from bulletin.domain.blocks import ImageBlock
from bulletin.render.pictures import SIZES, upload_sources
from bulletin.render.templating import environment

MEDIA_ID = "0123456789abcdef0123456789abcdef"


def render(block: ImageBlock) -> str:
    return environment().get_template("_block.html").render(block=block)


def test_an_upload_lists_every_stored_width_in_both_formats() -> None:
    block = ImageBlock(url=f"/media/uploads/{MEDIA_ID}-1280w.jpg", alt="Pier", width=4000,
                       height=3000)
    source = upload_sources(block)
    assert source is not None
    stem = f"/media/uploads/{MEDIA_ID}-"
    assert source.webp == ", ".join(f"{stem}{w}w.webp {w}w" for w in (320, 640, 1280, 2048))
    assert source.jpeg == ", ".join(f"{stem}{w}w.jpg {w}w" for w in (320, 640, 1280, 2048))
    assert source.src == f"{stem}1280w.jpg"
    assert source.sizes == SIZES


def test_a_small_upload_is_never_offered_wider_than_it_is() -> None:
    block = ImageBlock(url=f"/media/uploads/{MEDIA_ID}-500w.jpg", alt="Badge", width=500,
                       height=500)
    source = upload_sources(block)
    assert source is not None
    assert source.jpeg == (f"/media/uploads/{MEDIA_ID}-320w.jpg 320w, "
                           f"/media/uploads/{MEDIA_ID}-500w.jpg 500w")
    assert source.src == f"/media/uploads/{MEDIA_ID}-500w.jpg"


def test_photos_elsewhere_or_of_unknown_size_have_no_srcset() -> None:
    assert upload_sources(ImageBlock(url="https://img.example/a.jpg", alt="a", width=10,
                                     height=10)) is None
    assert upload_sources(ImageBlock(url=f"/media/uploads/{MEDIA_ID}-640w.jpg", alt="a")) is None


def test_the_page_reserves_the_photos_space_and_loads_it_lazily() -> None:
    html = render(ImageBlock(url=f"/media/uploads/{MEDIA_ID}-1280w.jpg", alt="Pier at dusk",
                             caption="The pier", credit="Ana Ruiz", width=4000, height=3000))
    assert '<source type="image/webp"' in html
    assert 'width="4000" height="3000"' in html
    assert 'loading="lazy"' in html and 'alt="Pier at dusk"' in html
    assert 'sizes="(min-width: 42rem) 40rem, 100vw"' in html
    assert '<span class="credit">Photograph: Ana Ruiz</span>' in html


def test_a_decorative_photo_has_empty_alt_text() -> None:
    html = render(ImageBlock(url="https://img.example/rule.png", alt="", decorative=True))
    assert 'alt=""' in html
