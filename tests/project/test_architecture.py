"""The shape of the code, checked: imports point down the layers, case data is reached only through
the scoped querysets, and audit events are written only by the audit module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent
# Lowest first; an app may import itself and anything lower. config is the project itself (the top).
LAYERS = ["core", *[a for a in settings.INSTALLED_APPS if (ROOT / a / "apps.py").exists()], "config"]
CASE_MODELS = {"Assessment", "Draft", "EscalationCase", "Submission"}
SCOPED = {"for_user", "for_user_in", "waiting_for", "audited_by"}


def _modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        yield path, ast.parse(path.read_text(), filename=str(path))


def _imported_packages(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(LAYERS)


def test_the_layers_are_the_installed_apps_in_order():
    assert LAYERS == ["core", "authorities", "catalogues", "assessments", "referrals", "escalation", "insight", "api",
                      "config"]


@pytest.mark.parametrize("package", LAYERS)
def test_every_import_points_down(package):
    rank = LAYERS.index(package)
    upward = [f"{path.relative_to(ROOT)} imports {other}"
              for path, tree in _modules(package)
              for other in sorted(_imported_packages(tree)) if LAYERS.index(other) > rank]
    assert upward == []


def test_the_import_check_catches_an_upward_import():
    tree = ast.parse("from referrals.models import Draft\nimport escalation.services\nfrom . import x\n")
    assert _imported_packages(tree) == {"referrals", "escalation"}


def _by_known_pk(call: ast.Call) -> bool:
    """`.get(pk=draft.pk)` / `.filter(pk=assessment.pk, ...)`: a record the caller already reached."""
    return any(k.arg == "pk" and isinstance(k.value, ast.Attribute) and k.value.attr == "pk" for k in call.keywords)


def unscoped_uses(tree: ast.AST) -> list[str]:
    """Every `Assessment/Draft/EscalationCase.objects...` chain that is not scoped. Allowed: through
    `for_user`/`waiting_for`; `create`; or keyed by the pk of a record the caller already holds."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    bad = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name)
                and node.value.id in CASE_MODELS):
            continue
        names, calls, current = [], [], node
        while True:  # climb the chain: .method(...).method(...)
            parent = parents.get(current)
            if isinstance(parent, ast.Attribute) and parent.value is current:
                names.append(parent.attr)
            elif isinstance(parent, ast.Call) and parent.func is current:
                calls.append(parent)
            else:
                break
            current = parent
        outer = parents.get(current)
        if isinstance(outer, ast.keyword):
            outer = parents.get(outer)
        in_prefetch = (isinstance(outer, ast.Call) and isinstance(outer.func, ast.Name)
                       and outer.func.id == "Prefetch")  # rows of records already reached through for_user
        if SCOPED & set(names) or names[:1] == ["create"] or any(_by_known_pk(c) for c in calls) or in_prefetch:
            continue
        bad.append(f"line {node.lineno}: {node.value.id}.objects.{'.'.join(names)}")
    return bad


# Where reaching every record is the point: the querysets themselves, retention and the insight rollup
# (scheduled jobs over every partnership, named in the audit trail; the rollup keeps counts only), and the
# demo seeds (fictional history written in bulk).
UNSCOPED_ALLOWED = {"models.py", "retention.py", "rollup.py", "seed_demo.py", "history.py", "seed_demo_history.py"}


def _app_files():
    for package in LAYERS:
        for path, tree in _modules(package):
            if "migrations" not in path.parts and path.name not in UNSCOPED_ALLOWED:
                yield path, tree


def test_no_view_or_service_reaches_case_data_except_through_the_scoped_querysets():
    found = [f"{path.relative_to(ROOT)} {use}" for path, tree in _app_files() for use in unscoped_uses(tree)]
    assert found == []


@pytest.mark.parametrize("source, ok", [
    ("Draft.objects.for_user(actor).get(pk=pk)", True),
    ("Draft.objects.waiting_for(actor)", True),
    ("Draft.objects.for_user_in(actor, organisation.pk)", True),
    ("Draft.objects.create(owner=u)", True),
    ("Draft.objects.select_for_update().get(pk=draft.pk)", True),
    ("Draft.objects.get(pk=pk)", False),
    ("Draft.objects.for_user(a).prefetch_related(Prefetch('submissions', Submission.objects.order_by('-n')))", True),
    ("Submission.objects.filter(outcome='')", False),
    ("Assessment.objects.filter(owner=user)", False),
    ("EscalationCase.objects.all()", False),
    ("q = Draft.objects", False),
])
def test_the_scoping_check_tells_scoped_from_unscoped(source, ok):
    assert (unscoped_uses(ast.parse(source)) == []) is ok


def test_audit_events_are_written_only_by_the_audit_module():
    writers = [f"{path.relative_to(ROOT)}:{node.lineno}" for path, tree in _app_files()
               for node in ast.walk(tree)
               if isinstance(node, ast.Attribute) and node.attr in {"create", "bulk_create"}
               and isinstance(node.value, ast.Attribute) and node.value.attr == "objects"
               and isinstance(node.value.value, ast.Name) and node.value.value.id == "AuditEvent"
               and path.name != "audit.py"]
    assert writers == []
