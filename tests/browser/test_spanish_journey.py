"""Journey, in Spanish on a 360 px phone: sign up, join, RSVP. Every page is in
Spanish, axe finds nothing serious, and no longer word is cut off or pushes
the page sideways."""

import pytest
from playwright.sync_api import expect

from meetup.models import VenueType
from tests.browser.conftest import type_mailed_code
from tests.browser.test_accessibility import problems


@pytest.fixture
def viewport():
    return "phone"


def cut_off(page) -> list[str]:
    """Buttons and links whose words do not fit in their box (a label kept for
    screen readers only is clipped on purpose)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('button, .button, .badge, label')]
            .filter(el => el.offsetParent && !el.matches('.visually-hidden'))
            .filter(el => el.scrollWidth > el.clientWidth + 1)
            .map(el => el.innerText.trim() || el.outerHTML.slice(0, 200))"""
    )


def check(page, axe_script, shoot, name: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    shoot(page, name)
    assert page.evaluate("document.documentElement.lang") == "es"
    assert problems(page, axe_script) == []
    assert cut_off(page) == []


def test_a_spanish_speaker_signs_up_joins_and_rsvps_on_a_phone(
    live_server, new_page, shoot, axe_script, make_user, make_group, make_event
):
    group = make_group(make_user(name="Carmen"), name="Club de lectura de Chamberí")
    event = make_event(group, title="Noche de libros", venue_type=VenueType.HOME,
                       address="Calle Secreta 3", area="Chamberí, Madrid",
                       capacity=8, max_guests=1)  # fmt: skip
    page = new_page(locale="es-ES")

    page.goto(f"{live_server}/auth/register")
    check(page, axe_script, shoot, "registro")
    page.get_by_label("Tu nombre").fill("Lucía")
    page.get_by_label("Correo electrónico").fill("lucia@example.org")
    page.get_by_role("button", name="Envíame un código").click()
    check(page, axe_script, shoot, "codigo")
    type_mailed_code(page, "lucia@example.org")
    expect(page.get_by_text("¡Te damos la bienvenida a Hearth, Lucía!")).to_be_visible()

    page.goto(f"{live_server}/groups/{group.slug}")
    check(page, axe_script, shoot, "grupo")
    page.get_by_role("button", name="Unirme al grupo").click()
    expect(page.get_by_text("Eres miembro de este grupo.")).to_be_visible()

    page.goto(f"{live_server}/events/{event.id}")
    check(page, axe_script, shoot, "encuentro")
    expect(page.get_by_text("Calle Secreta 3")).to_have_count(0)
    page.get_by_role("button", name="Voy").click()
    expect(page.locator("#rsvp-answer .status-good")).to_contain_text("Vas.")
    expect(page.get_by_text("Calle Secreta 3").first).to_be_visible()
    check(page, axe_script, shoot, "voy")
