"""Pages counted from the oldest post, so an older page never changes when news arrives.

Page k (1-based) holds positions ((k-1)*size, k*size]; the newest page (the front page)
absorbs the remainder, so it holds between `size` and `2*size - 1` posts once a blog has
more than `size`. Every pager names a page by this same number, so `?page=1` always reads
"Page 1 of N" (the earliest) and the front page "Page N of N" (the latest); the links say
which way they lead ("Newer", "Older"), never a number counted the other way.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_SIZE = 20


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    total: int
    first_position: int
    last_position: int | None

    @property
    def is_front(self) -> bool:
        return self.number == self.total

    @property
    def newer(self) -> int | None:
        return self.number + 1 if self.number < self.total else None

    @property
    def older(self) -> int | None:
        return self.number - 1 if self.number > 1 else None


def page_count(last_position: int, size: int = PAGE_SIZE) -> int:
    return max(1, last_position // size)


def page_for(last_position: int, number: int | None, size: int = PAGE_SIZE) -> Page | None:
    """The page to show, or None when `number` is out of range."""
    total = page_count(last_position, size)
    if number is None:
        number = total
    if not 1 <= number <= total:
        return None
    first = (number - 1) * size + 1
    last = None if number == total else number * size
    return Page(number=number, total=total, first_position=first, last_position=last)


def page_of_position(position: int, last_position: int, size: int = PAGE_SIZE) -> int:
    total = page_count(last_position, size)
    return min(total, (position - 1) // size + 1)
