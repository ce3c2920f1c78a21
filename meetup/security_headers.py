"""Security headers on every answer: pages, feeds, files, redirects and errors;
and no-store on every answer made for one person.

A few fixed headers, so they are written here rather than through Flask-Talisman,
which overwrites a view's own Referrer-Policy (the calendar-link page needs
`no-referrer`) and rewrites the cookie settings config.py already holds.
"""

from flask import Flask, Response, current_app, g, request

from meetup.log_privacy import holds_secret

#: Scripts and styles only from our own files: no inline script, no eval, so an
#: injected <script> or on*= attribute does nothing even if escaping ever failed.
#: Map tiles are the one outside source; Leaflet's CSS uses data: images.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https://tile.openstreetmap.org",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Links out (to maps, calendars) carry our origin, never a path with an id.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors, for browsers that predate it
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=(), payment=()",
}
#: A year, as the HSTS preload list asks. Only in production: development runs
#: on plain http at 127.0.0.1, where a browser would remember it for every port.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def add(response: Response) -> Response:
    # A page made to be framed (a group's widget) says so in its own CSP.
    own = response.headers.get("Content-Security-Policy", "")
    framed = "frame-ancestors" in own and "frame-ancestors 'none'" not in own
    for name, value in HEADERS.items():
        if not (framed and name == "X-Frame-Options"):
            response.headers.setdefault(name, value)  # a view's own choice wins
    if current_app.config["PRODUCTION"]:
        response.headers.setdefault(
            "Strict-Transport-Security", STRICT_TRANSPORT_SECURITY
        )
    return response


def no_store_if_personal(response: Response) -> Response:
    """`Cache-Control: no-store` on what was made for one person.

    The rule is wide on purpose, so no page can forget it: every answer to a
    signed-in person (a home's street, the attendee CSV's emails, the profile,
    and all the rest), and every answer at a secret link (personal feed,
    invite, sign-in, one-tap answer, reset, unsubscribe), whoever opens it.
    Strangers' pages hold nothing private and stay cacheable; so do static files.
    """
    # Flask-Login keeps who it loaded in g; never load here (the database may
    # be what failed).
    person = g.get("_login_user")
    signed_in = person is not None and person.is_authenticated
    if request.endpoint != "static" and (signed_in or holds_secret(request.path)):
        response.cache_control.no_store = True
        response.cache_control.public = False
    return response


def register(app: Flask) -> None:
    app.after_request(add)
    app.after_request(no_store_if_personal)
