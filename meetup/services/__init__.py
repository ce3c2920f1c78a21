"""The rules, the reads beneath them, and what tells people of changes (mail and
calendars). Services take models and plain values, flush, and never commit;
docs/ARCHITECTURE.md says which may import which."""
