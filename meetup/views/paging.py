"""Pagination of list pages, with the page number checked before it reaches SQL."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, request
from sqlalchemy import Select, func, select

from meetup.extensions import db

MAX_PAGE = 10_000
COUNT_UP_TO = 1_000


def paginate(query: Select, per_page: int) -> ListPage:
    """The page the visitor asked for; 404 past the end or for absurd numbers.

    Counting stops at COUNT_UP_TO: "Page 1 of 50+" reads as well as the exact
    figure, and counting 70,000 matches on every search costs more than the page.
    """
    page = page_number()
    items = db.session.scalars(
        query.limit(per_page).offset((page - 1) * per_page)
    ).all()
    if page > 1 and not items:
        abort(404)
    counted = db.session.scalar(
        select(func.count()).select_from(
            query.order_by(None).limit(COUNT_UP_TO + 1).subquery()
        )
    )
    return ListPage(
        items, page, per_page, min(counted, COUNT_UP_TO), counted > COUNT_UP_TO
    )


@dataclass
class ListPage:
    """A page of a list already in memory, with the attributes templates use."""

    items: list
    page: int
    per_page: int
    total: int
    #: True when there are more than `total` (counting stopped there).
    capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or self.capped

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_number() -> int:
    """The page asked for; 404 for absurd numbers."""
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= MAX_PAGE:
        abort(404)
    return page
