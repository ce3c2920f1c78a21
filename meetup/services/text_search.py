"""Word search over text columns: every word must appear; % and _ are literal."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_

MAX_WORDS = 5


def all_words_in(text: str, *columns) -> list[ColumnElement[bool]]:
    """One condition per word: the word appears in at least one of the columns."""
    conditions = []
    for word in text.split()[:MAX_WORDS]:
        pattern = f"%{escape_like(word)}%"
        conditions.append(
            or_(*(column.ilike(pattern, escape="\\") for column in columns))
        )
    return conditions


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
