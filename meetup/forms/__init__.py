"""Flask-WTF forms: they check shape only; services decide the rules.

POST-only buttons need no form class: CSRFProtect checks every POST, and the
`post_button` macro puts the token in.
"""
