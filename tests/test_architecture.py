"""The shape of the code: no import cycles, and imports that run downward only.

Reads every module under meetup/ with `ast` (standard library only) and checks
the layers docs/ARCHITECTURE.md draws. A module may import from its own layer
or a lower one, never a higher one, and no chain of imports may come back to
where it started (inside a layer either). A new module must be given a layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = "meetup.services."

#: Lowest first. A module's layer is the first whose patterns match its name
#: (a trailing "*" matches the package and everything in it).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # Nothing of the app: pure functions, bytes in and out, or plain Flask.
    ("foundations", ("meetup.zone_rules", "meetup.ical", "meetup.times",
                     "meetup.text", "meetup.errors", "meetup.gazetteer",
                     "meetup.urls", "meetup.log_privacy",
                     "meetup.security_headers", "meetup.i18n", "meetup.dates",
                     "meetup.rhythm", "meetup.cards", "meetup.qr")),
    ("models", ("meetup.models*", "meetup.extensions")),
    # The privacy decision and its application: predicates, no queries.
    ("permissions", ("meetup.permissions", "meetup.privacy")),
    # Reads, and the integrations behind one module each.
    ("reads", tuple(SERVICES + name for name in (
        "memberships", "attendees", "viewers", "finding", "text_search",
        "places", "geocoding", "passwords", "calendar_links", "feed_cache",
        "mail", "outbox", "personal_data", "devices", "mail_codes", "newcomers",
        "host_message_reads", "bring_lists", "reply_addresses", "share_links",
        "storage",
    ))),
    # Who is told what: they read, never call the rules that call them.
    ("tellers", tuple(SERVICES + name for name in (
        "calendars", "notices", "news", "letter_parts", "account_mail",
        "answer_links", "rota_news", "request_notices", "host_news",
        "host_digest", "host_letters", "bring_news", "invitation_copies",
        "chat_texts", "preview_cards", "posters",
    ))),
    ("rules", tuple(SERVICES + name for name in (
        "accounts", "rsvps", "groups", "events", "reminders", "one_tap",
        "account_deletion", "password_tries", "series", "rota", "placing",
        "approvals", "blocking", "reports", "at_table", "host_messages",
        "bring", "calendar_replies", "written_replies", "covers",
    )) + ("meetup.services",)),
    # The web and the command line: forms, views, the app factory.
    ("web", ("meetup.forms*", "meetup.views*", "meetup.template_helpers",
             "meetup.auth_session", "meetup.cli", "meetup.demo", "meetup.inbound",
             "meetup")),
]  # fmt: skip
#: Imports nothing of the app but each other (DESIGN: "ical.py imports nothing").
PURE = {"meetup.ical", "meetup.zone_rules"}


def module_names() -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / "meetup").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The app's modules this file imports, at the top or inside a function."""
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                targets.add(submodule if submodule in modules else node.module)
    return {target for target in targets if target in modules}


def graph() -> dict[str, set[str]]:
    modules = module_names()
    return {name: imports_of(path, set(modules)) for name, path in modules.items()}


def layer_of(name: str) -> int | None:
    for rank, (_, patterns) in enumerate(LAYERS):
        for pattern in patterns:
            if pattern.endswith("*"):
                stem = pattern[:-1]
                if name == stem or name.startswith(stem + "."):
                    return rank
            elif name == pattern:
                return rank
    return None


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle once, as the path that closes it (depth-first)."""
    found, state = [], {}  # state: 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                found.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return found


def test_the_cycle_finder_finds_a_planted_cycle():
    planted = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(planted) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    assert cycles(graph()) == [], "import cycles (break them by moving reads down)"


def test_every_module_has_a_layer():
    missing = [name for name in graph() if layer_of(name) is None]
    assert not missing, f"give these a layer in LAYERS and ARCHITECTURE.md: {missing}"


def test_imports_run_downward_only():
    upward = []
    for name, targets in graph().items():
        for target in sorted(targets):
            if layer_of(target) > layer_of(name):
                upward.append(
                    f"{name} ({LAYERS[layer_of(name)][0]}) imports {target} "
                    f"({LAYERS[layer_of(target)][0]})"
                )
    assert not upward, "\n".join(upward)


def test_models_import_no_service_and_ical_imports_nothing_of_the_app():
    edges = graph()
    for name, targets in edges.items():
        if layer_of(name) == layer_of("meetup.models"):
            assert not {t for t in targets if t.startswith("meetup.services")}, name
    for name in PURE:
        assert edges[name] <= PURE, f"{name} imports {edges[name] - PURE}"
