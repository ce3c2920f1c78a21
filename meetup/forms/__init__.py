"""Flask-WTF forms: they check shape only; services decide the rules.

POST-only buttons need no form class: CSRFProtect checks every POST, and the
`post_button` macro puts the token in.
"""


def strip(value):
    """Surrounding spaces never count: "   " is not a name."""
    return value.strip() if isinstance(value, str) else value


def add_scheme(value):
    """People paste "facebook.com/groups/x"; we know they mean https://."""
    value = strip(value)
    if value and "://" not in value and "." in value:
        return "https://" + value
    return value
