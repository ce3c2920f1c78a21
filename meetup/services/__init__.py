"""The rules. Services take models and plain values, flush, and never commit."""
