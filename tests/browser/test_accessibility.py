"""Every main page, on the demo data, at desktop and phone sizes: axe-core finds
no serious or critical problem, and nothing is wider than a 360 px phone."""

from playwright.sync_api import expect

from meetup import demo
from meetup.extensions import db
from meetup.models import Group, Series
from meetup.models.base import utcnow
from meetup.services import series

SERIOUS = ("serious", "critical")


def pages_of(base: str) -> tuple[list[str], list[str]]:
    """(what visitors see, what the organiser sees), as paths."""
    book = db.session.scalar(db.select(Group).filter_by(name=demo.GROUPS[0]["name"]))
    private = db.session.scalar(db.select(Group).filter_by(name=demo.GROUPS[2]["name"]))
    rhythm = db.session.scalar(db.select(Series).filter_by(group_id=book.id))
    home, _, waiting = series.coming_dates(rhythm, utcnow())  # Aisha's flat first
    visitor = [
        "/",
        "/groups/",
        f"/groups/{book.slug}",
        f"/groups/{private.slug}",
        "/events/",
        "/events/?near=55.95,-3.19&within_km=25",
        f"/events/{home.id}",
        f"/series/{rhythm.id}",
        "/auth/login",
        "/auth/login?with=password",
        "/auth/register",
        "/auth/reset",
        "/auth/code",
    ]
    organiser = [
        "/",
        f"/events/{home.id}",
        f"/events/{home.id}/attendees",
        f"/events/{home.id}/edit",
        f"/groups/{book.slug}/members",
        f"/groups/{book.slug}/events/new",
        f"/groups/{book.slug}/series/new",
        f"/series/{rhythm.id}",
        f"/series/{rhythm.id}/rota",
        f"/series/{rhythm.id}/edit",
        f"/events/{waiting.id}",
        f"/events/{home.id}/where",
        "/groups/new",
        "/me/events",
        "/me/profile",
        "/me/calendar",
        "/me/sessions",
    ]
    return visitor, organiser


def problems(page, axe_script) -> list[str]:
    # Evaluated through the DevTools protocol: our CSP rightly refuses a <script>.
    page.evaluate(axe_script.read_text() + "\n;0")
    result = page.evaluate("async () => await axe.run(document)")
    found = [
        f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}× e.g. "
        f"{v['nodes'][0]['target']})"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth,"
        " document.documentElement.clientWidth]"
    )
    if width[0] > width[1]:
        found.append(f"wider than the screen: {width[0]} px in {width[1]} px")
    return found


def test_main_pages_have_no_serious_accessibility_problems(
    live_server, new_page, viewport, axe_script, shoot
):
    demo.seed()
    db.session.commit()
    visitor_paths, organiser_paths = pages_of(live_server)
    visitor = new_page()
    organiser = new_page()
    organiser.goto(f"{live_server}/auth/login")
    organiser.get_by_text("Sign in with a password instead").click()
    organiser.get_by_label("Email").fill(demo.ORGANISER_EMAIL)
    organiser.get_by_label("Password").fill(demo.PASSWORD)
    organiser.get_by_role("button", name="Sign in").click()
    expect(organiser.get_by_text("Welcome back")).to_be_visible()
    if viewport == "phone":  # the narrowest phone we promise to fit
        for page in (visitor, organiser):
            page.set_viewport_size({"width": 360, "height": 740})

    found = {}
    for who, page, paths in (
        ("visitor", visitor, visitor_paths),
        ("organiser", organiser, organiser_paths),
    ):
        for path in paths:
            response = page.goto(live_server + path)
            assert response.ok, (who, path, response.status)
            issues = problems(page, axe_script)
            if issues:
                found[f"{who} {path}"] = issues
                shoot(page, f"{who}-{path.strip('/').replace('/', '-')}")
    assert found == {}
