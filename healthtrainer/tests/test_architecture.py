"""Guards on the shape of the code that a reviewer would otherwise have to remember."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
VIEW_MODULES = [
    path
    for path in PACKAGE.rglob("*.py")
    if (path.name.startswith("views") or path.parent.name == "views") and "tests" not in path.parts
]

# Queries in views must start from a scoped QuerySet method. The few that do not are
# listed with their reason, so a new one is a conscious decision.
SCOPED_STARTS = {"for_programme", "visible_to"}
ALLOWED_UNSCOPED = {
    ("audit.py", "AuditEvent.objects.all"): "site audit, administrators only (site_view)",
    ("audit.py", "User.objects.all"): "site audit, administrators only (site_view)",
    ("audit.py", "User.objects.filter"): "people of a programme already in scope",
    ("people.py", "User.objects.filter"): "does an account exist for an invitation's email",
    ("site_accounts.py", "User.objects.annotate"): "every account, administrators only (site_view)",
    ("site_accounts.py", "User.objects.all"): "every account, administrators only (site_view)",
    (
        "site_accounts.py",
        "ApiClient.objects.filter",
    ): "systems a closing account made (site_view)",
    ("views.py", "User.objects.trainers_of"): "health trainers of a programme already in scope",
    ("views_codebook.py", "User.objects.trainers_of"): "trainers of a programme in scope",
    ("views_supervision.py", "User.objects.trainers_of"): "trainers of a programme in scope",
    ("sign_in.py", "TOTPDevice.objects.create"): "the signed-in person's own device",
    ("sign_in.py", "TOTPDevice.objects.filter"): "the signed-in person's own device",
    ("sign_in.py", "TOTPDevice.objects.devices_for_user"): "the signed-in person's own device",
    ("views.py", "Instrument.objects.filter"): "instruments are reference data shared by all",
    ("views.py", "Instrument.objects.all"): "instruments are reference data shared by all",
}


def _unscoped_queries(path: Path) -> set[tuple[str, str]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "objects"
            and isinstance(node.value.value, ast.Name)
            and node.attr not in SCOPED_STARTS
        ):
            found.add((path.name, f"{node.value.value.id}.objects.{node.attr}"))
    return found


def test_views_reach_programme_data_only_through_scoped_querysets():
    assert VIEW_MODULES, "no view modules found"
    unscoped = set().union(*(_unscoped_queries(path) for path in VIEW_MODULES))
    assert unscoped <= set(ALLOWED_UNSCOPED), sorted(unscoped - set(ALLOWED_UNSCOPED))


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_core_depends_on_no_other_app():
    for path in (PACKAGE / "core").rglob("*.py"):
        if "tests" in path.parts:
            continue
        others = {
            name
            for name in _imports(path)
            if name.startswith("healthtrainer.") and not name.startswith("healthtrainer.core")
        }
        assert not others, f"{path.relative_to(PACKAGE)} imports {sorted(others)}"


def test_only_roles_py_maps_roles_to_permissions():
    offenders = [
        path.relative_to(PACKAGE)
        for path in PACKAGE.rglob("*.py")
        if "ROLE_PERMISSIONS" in path.read_text()
        and path.name not in {"roles.py", "test_architecture.py"}
    ]
    assert not offenders
