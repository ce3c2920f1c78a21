"""Pagination of list pages, with the page number checked before it reaches SQL."""

from dataclasses import dataclass

from flask import abort, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from meetup.extensions import db

MAX_PAGE = 10_000


def paginate(query: Select, per_page: int) -> Pagination:
    """The page the visitor asked for; 404 past the end or for absurd numbers."""
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= MAX_PAGE:
        abort(404)
    return db.paginate(query, page=page, per_page=per_page, max_per_page=per_page)


@dataclass
class ListPage:
    """A page of a list already in memory, with the attributes templates use."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_of(ids: list, per_page: int) -> tuple[list, int]:
    """The slice of `ids` for the requested page, and the page number."""
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= MAX_PAGE or (page > 1 and (page - 1) * per_page >= len(ids)):
        abort(404)
    return ids[(page - 1) * per_page : page * per_page], page
