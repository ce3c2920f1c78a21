"""XSS payloads, and a structural check that a page holds none of them live.

Each payload, if it ever ran, would open a dialog, set `window.__xss`, or leave
an element marked `data-pwned`: the browser test looks for all three. The
payloads are classic vectors (after OWASP's filter-evasion cheat sheet) in
several contexts: text, attribute values (both quotes), URLs, Markdown, CSS,
template syntax and the iCalendar/CSV/mail-header escapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser

from meetup.extensions import db
from meetup.models import (
    BringClaim,
    Diet,
    Event,
    Group,
    HostMessage,
    JoinRequest,
    Rsvp,
    User,
    VenueType,
    Visibility,
)
from meetup.services import (
    accounts,
    bring,
    bring_lists,
    events,
    groups,
    host_messages,
    memberships,
    reminders,
    rsvps,
)
from meetup.services.events import EventDetails
from meetup.services.groups import GroupDetails
from tests.conftest import NOW, PASSWORD

RUN = "window.__xss=1;alert(1)"

VECTORS = [
    f"<script>{RUN}</script>",
    f"<ScRiPt>{RUN}</sCrIpT>",
    f"<script src=data:text/javascript,{RUN}></script>",
    f'<img src=x onerror="{RUN}" data-pwned>',
    f"<img src=x onerror={RUN} data-pwned>",
    f'<svg onload="{RUN}" data-pwned>',
    f"<svg><script>{RUN}</script></svg>",
    f'<body onload="{RUN}">',
    f'<iframe src="javascript:{RUN}" data-pwned></iframe>',
    f'<iframe srcdoc="<script>parent.{RUN}</script>" data-pwned></iframe>',
    f'<object data="javascript:{RUN}" data-pwned></object>',
    f'<embed src="javascript:{RUN}" data-pwned>',
    f'<a href="javascript:{RUN}" data-pwned>click</a>',
    f'<a href="JaVaScRiPt:{RUN}" data-pwned>click</a>',
    f'<a href="&#106;avascript:{RUN}" data-pwned>click</a>',
    f'<a href="java\tscript:{RUN}" data-pwned>click</a>',
    f'<details open ontoggle="{RUN}" data-pwned>',
    f'<input autofocus onfocus="{RUN}" data-pwned>',
    f'<video><source onerror="{RUN}" data-pwned></video>',
    f'<audio src=x onerror="{RUN}" data-pwned>',
    f'<marquee onstart="{RUN}" data-pwned>',
    f'<div style="background:url(javascript:{RUN})" data-pwned>',
    f"<style>@import 'javascript:{RUN}';</style>",
    f'<link rel=stylesheet href="javascript:{RUN}" data-pwned>',
    f'<meta http-equiv=refresh content="0;url=javascript:{RUN}">',
    f'<base href="javascript:{RUN}//">',
    f'<form action="javascript:{RUN}" data-pwned><button>go</button></form>',
    f'<math><mtext><table><mglyph><style><img src=x onerror="{RUN}" data-pwned>',
    f'<noscript><p title="</noscript><img src=x onerror={RUN} data-pwned>">',
    f"<textarea></textarea><img src=x onerror={RUN} data-pwned>",
    f"</title><img src=x onerror={RUN} data-pwned>",
    f"<!--<img src=x onerror={RUN} data-pwned>-->",
    f"<![CDATA[<img src=x onerror={RUN} data-pwned>]]>",
    f"[click](javascript:{RUN})",
    f"[click](JAVASCRIPT:{RUN})",
    f"![x](javascript:{RUN})",
    f"<javascript:{RUN}>",
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "{{ config }}{{ 7*7 }}{% raw %}",
    "${alert(1)}#{alert(1)}",
    f"\u003cscript\u003e{RUN}\u003c/script\u003e",
    f"＜script＞{RUN}＜/script＞",
    f"<scr<script>ipt>{RUN}</scr</script>ipt>",
    f"<img src=`x` onerror=`{RUN}` data-pwned>",
    f"<img/src=x/onerror={RUN} data-pwned>",
    f'<img src=x onerror\x0b="{RUN}" data-pwned>',
    f'<svg><animate onbegin="{RUN}" attributeName=x dur=1s data-pwned>',
    f'<x contenteditable onblur="{RUN}" data-pwned>x</x>',
]
#: Ways out of the context a value lands in, put in front of each vector.
BREAKOUTS = ["", '">', "'>"]
#: Plus a few that are not HTML at all.
OTHERS = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tsneaky\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:forged",
    "line\r\nBcc: victim@example.org",
]
PAYLOADS = [b + v for v in VECTORS for b in BREAKOUTS] + OTHERS


class LiveMarkup(HTMLParser):
    """What in a page could run: inline script, event handlers, js: URLs, markers.

    Our own pages have `<script src="/static/...">` only; anything else found
    is reported.
    """

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip().lower().replace("\t", "")
            if name.startswith("on") or name == "data-pwned" or name == "srcdoc":
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "data", "formaction"):
                if value.startswith(("javascript:", "data:text/html", "vbscript:")):
                    self.found.append(f"<{tag} {name}={value[:40]}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.found.append(f"<script src={src[:40]!r}>")
            self._in_script = True
        if tag in ("iframe", "object", "embed", "base"):
            self.found.append(f"<{tag}>")
        if tag == "meta" and dict(attrs).get("http-equiv"):
            self.found.append("<meta http-equiv>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append("inline script")


def live_markup(html: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html)
    return parser.found


@dataclass
class Staged:
    payload: str
    group: Group
    event: Event
    member: User


def fit(column, text: str) -> str:
    """As much of the payload as the column holds (PostgreSQL enforces lengths)."""
    return text[: column.type.length]


def stage(organiser: User) -> list[Staged]:
    """Per payload: a private group, a member, a home event and a join request,
    each with the payload in every text field a person can type into.

    The bring list asks for the payload twice; the member claims one with the
    payload as her note, lets it go (the host is mailed), and claims it again;
    the host adds the payload before it as a thing of her own (this one would
    be claimed as the line), with the payload as her note. The member's answer
    brings a child and a diet note. A third of the gatherings are cancelled; at
    the others, everyone going is reminded ("You said you'd bring")."""
    staged = []
    for n, payload in enumerate(PAYLOADS):
        group = groups.create_group(organiser, GroupDetails(
            name=fit(Group.name, f"{n} {payload}"), description=payload,
            area=fit(Group.area, payload), timezone="Europe/London",
            visibility=Visibility.PRIVATE,
        ))  # fmt: skip
        member = accounts.register(
            fit(User.display_name, payload) or "x",
            f"xss{n}@example.org",
            PASSWORD,
            verified_at=NOW,
        )
        groups.join_with_invite(member, group, group.invite_token)
        asking = accounts.register(
            f"Asker {n}", f"asker{n}@example.org", PASSWORD, verified_at=NOW
        )
        groups.join(asking, group, fit(JoinRequest.message, payload))
        manager = memberships.membership_of(organiser, group)
        event = events.create_event(manager, group, EventDetails(
            title=fit(Event.title, payload), description=payload,
            venue_type=VenueType.HOME, venue_name=fit(Event.venue_name, payload),
            address=fit(Event.address, payload), area=fit(Event.area, payload),
            access_notes=payload, question=fit(Event.question, payload),
            bring_list=f"{fit(BringClaim.thing, payload)} ×2",
            starts_at=NOW + timedelta(days=3), ends_at=NOW + timedelta(days=3, hours=2),
            timezone="Europe/London", capacity=None, max_guests=0,
            host_id=organiser.id, latitude=55.95, longitude=-3.19,
        ), NOW)  # fmt: skip
        rsvps.respond(event, member, going=True, now=NOW,
                      answer=fit(Rsvp.answer, payload))  # fmt: skip
        thing = bring_lists.read(event.bring_list)[-1].thing  # "… ×2"
        note = fit(BringClaim.note, payload)
        bring.claim(member, event, thing, note, NOW)
        rsvps.respond(event, member, going=False, now=NOW)  # lets it go: mailed
        rsvps.respond(event, member, going=True, now=NOW, children=1,
                      diets=frozenset({Diet.VEGETARIAN, Diet.NUT_ALLERGY}),
                      diet_note=fit(Rsvp.diet_note, payload),
                      answer=fit(Rsvp.answer, payload))  # fmt: skip
        bring.claim(member, event, thing, note, NOW)
        own = fit(BringClaim.thing, PAYLOADS[n - 1])
        assert bring.add_own(organiser, event, own, note, NOW).is_own, own
        # The host's word to the people coming: on the page and in the mail.
        host_messages.send(manager, event, organiser, fit(HostMessage.body, payload),
                           True, False, False, True, NOW, confirmed=True)  # fmt: skip
        if n % 3 == 0:  # a cancelled page shows its reason
            events.cancel_event(manager, event, fit(Event.cancel_reason, payload), NOW)
        staged.append(Staged(payload, group, event, member))
    reminders.send_reminders(NOW + timedelta(days=2, hours=6))
    db.session.commit()
    return staged
