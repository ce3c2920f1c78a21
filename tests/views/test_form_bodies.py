"""Forms take what a browser posts from their page: form fields, never JSON.

Flask-WTF fills a form from a JSON body when the request says it is JSON, while
the NUL guard and the sign-in limit read the form fields: a JSON body walked
past both. Every form now reads the posted fields only (meetup.forms.Form), the
guard reads the same, and a body that is not a form is refused with a 415 page.
"""

import ast
import importlib
import inspect
import json
import pkgutil
from pathlib import Path

from flask_wtf import FlaskForm

import meetup.forms
from meetup.forms import Form
from meetup.forms.groups import GroupForm
from meetup.models import Group
from tests.conftest import PASSWORD
from tests.world import snapshot


def form_classes() -> list[type]:
    found = set()
    for module in pkgutil.iter_modules(meetup.forms.__path__, "meetup.forms."):
        for _, value in inspect.getmembers(importlib.import_module(module.name)):
            if inspect.isclass(value) and issubclass(value, FlaskForm):
                found.add(value)
    return sorted(found - {Form}, key=lambda cls: cls.__qualname__)


def test_every_form_reads_form_fields_only():
    classes = form_classes()
    assert len(classes) >= 10
    for cls in classes:
        assert issubclass(cls, Form), f"{cls.__qualname__} must subclass forms.Form"


def test_no_view_makes_a_bare_flask_form():
    """An empty form for a button is `Form()`, which reads form fields only."""
    root = Path(meetup.forms.__file__).resolve().parent.parent
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "FlaskForm"
            ):
                raise AssertionError(f"{path}: use meetup.forms.Form()")


def test_a_form_does_not_read_a_json_body(app):
    body = {"name": "From JSON", "area": "Leith", "timezone": "Europe/London"}
    with app.test_request_context("/groups/new", method="POST", json=body):
        assert GroupForm(meta={"csrf": False}).name.data is None
    with app.test_request_context("/groups/new", method="POST", data=body):
        assert GroupForm(meta={"csrf": False}).name.data == "From JSON"


def post_json(client, url: str, body: dict):
    """What a script sends: a JSON body, with a valid CSRF token in the header."""
    return client.post(
        url,
        data=json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": client.csrf_token()},
        csrf=False,
    )


def test_a_json_body_is_refused_with_a_clear_page(client, make_user, login, db):
    login(make_user())
    before = snapshot()
    reply = post_json(
        client,
        "/groups/new",
        {"name": "Scripted", "area": "Leith", "timezone": "Europe/London",
         "visibility": "public"},
    )  # fmt: skip
    assert reply.status_code == 415
    assert "Send it from its page" in reply.get_data(as_text=True)
    assert db.session.scalar(db.select(Group)) is None
    assert snapshot() == before


def test_signing_in_with_a_json_body_is_refused(client, make_user):
    ana = make_user()
    reply = post_json(client, "/auth/login", {"email": ana.email, "password": PASSWORD})
    assert reply.status_code == 415
    assert client.get("/me/profile").status_code != 200  # not signed in


def test_nul_in_a_json_body_is_a_4xx_not_a_500(client, make_user, login):
    login(make_user())
    reply = post_json(client, "/groups/new", {"name": "a\x00b", "area": "x\x00"})
    assert 400 <= reply.status_code < 500


def test_the_nul_guard_reads_every_posted_value(client, make_user, login, db):
    """A field sent twice: the guard looks at both, not only the first."""
    login(make_user())
    reply = client.post(
        "/groups/new",
        data={"name": ["Fine", "Not\x00fine"], "area": "Leith",
              "timezone": "Europe/London", "visibility": "public"},
    )  # fmt: skip
    assert reply.status_code == 400
    assert "NUL" in reply.get_data(as_text=True)
    assert db.session.scalar(db.select(Group)) is None
