"""Pages count from the oldest post, so an older page's posts never shift."""

from __future__ import annotations

from bulletin.domain.paging import page_count, page_for, page_of_position


def test_a_young_blog_has_one_page_holding_everything() -> None:
    page = page_for(7, None)
    assert page is not None
    assert (page.number, page.total, page.first_position, page.last_position) == (1, 1, 1, None)
    assert page.is_front and (page.newer, page.older) == (None, None)


def test_the_front_page_absorbs_the_remainder() -> None:
    assert page_count(39) == 1
    assert page_count(40) == 2
    front = page_for(45, None)
    assert front is not None
    assert (front.number, front.first_position, front.last_position) == (2, 21, None)
    oldest = page_for(45, 1)
    assert oldest is not None
    assert (oldest.first_position, oldest.last_position, oldest.number) == (1, 20, 1)
    assert (oldest.newer, oldest.older, front.newer, front.older) == (2, None, None, 1)


def test_an_older_page_keeps_its_posts_as_news_arrives() -> None:
    before = page_for(60, 2)
    after = page_for(95, 2)
    assert before is not None and after is not None
    assert (before.first_position, before.last_position) == (21, 40)
    assert (after.first_position, after.last_position) == (21, 40)


def test_out_of_range_pages_are_none() -> None:
    assert page_for(45, 3) is None
    assert page_for(45, 0) is None


def test_navigation_and_position_lookup() -> None:
    page = page_for(100, 2)
    assert page is not None
    assert (page.newer, page.older) == (3, 1)
    assert page_of_position(1, 100) == 1
    assert page_of_position(99, 100) == 5
    assert page_of_position(45, 45) == 2
