"""Blueprints. Views are thin: load, check, validate, call a service, commit, answer."""
