"""Pagination of list pages, with the page number checked before it reaches SQL."""

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
