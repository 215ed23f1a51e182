"""Guards on the shape of the code that a reviewer would otherwise have to remember."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
VIEW_MODULES = [
    path
    for path in PACKAGE.rglob("*.py")
    if (
        path.name.startswith("views") or path.stem.endswith("_views") or path.parent.name == "views"
    )
    and "tests" not in path.parts
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
    ("views.py", "BackgroundJob.objects.all"): (
        "background work of every programme, administrators only (site_view): titles and "
        "errors, no one's data"
    ),
    ("views.py", "BackgroundJob.objects.site_wide"): (
        "site-wide work (reference data) belongs to no programme, administrators only"
    ),
    ("views.py", "LsoaDeprivation.objects.values_list"): "national reference data",
    ("consent_views.py", "Network.objects.all"): (
        "networks belong to no programme: a manager may ask to join any of them"
    ),
    ("views.py", "PostcodeLsoa.objects.count"): "national reference data",
    ("views.py", "OutboxMessage.objects.filter"): (
        "the local demo's own outbox, in debug with the outbox notifier only"
    ),
    ("codebook.py", "User.objects.trainers_of"): "trainers of a programme in scope",
    ("supervision.py", "User.objects.trainers_of"): "trainers of a programme in scope",
    ("sign_in.py", "TOTPDevice.objects.create"): "the signed-in person's own device",
    ("sign_in.py", "TOTPDevice.objects.filter"): "the signed-in person's own device",
    ("sign_in.py", "TOTPDevice.objects.devices_for_user"): "the signed-in person's own device",
    ("instruments_chosen.py", "Instrument.objects.filter"): "instruments are shared reference data",
    ("instruments_chosen.py", "Instrument.objects.all"): "instruments are shared reference data",
    ("reference.py", "Instrument.objects.filter"): "instruments are shared reference data",
    ("reference.py", "Instrument.objects.all"): "instruments are shared reference data",
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


# Each app's rank: an app may import from its own rank and below, never above, so that
# dependencies point one way (docs/architecture.md).
RANKS = (
    ("core", "notifications"),
    ("programmes",),
    ("accounts", "background", "deprivation"),
    ("clients",),
    ("referrals",),
    ("casework", "measures"),
    ("workforce", "qualitative", "companion"),
    ("evaluation",),
    ("network",),
    ("imports", "interop", "api"),
    ("demo", "config"),
)
RANK = {app: rank for rank, apps in enumerate(RANKS) for app in apps}
# Modules that import from a higher rank, each with its reason. Keyed by path.
UPWARD_IMPORTS_ALLOWED = {
    "accounts/views/todo.py": "the home page gathers each role's work from every app",
    "accounts/views/home.py": "a network analyst, with no programme, starts from their networks",
    "accounts/views/site_accounts.py": (
        "closing an account lists the API clients it made, which interop keeps"
    ),
    "programmes/views.py": (
        "the programme pages are guarded by accounts' access rules, which hold the "
        "memberships of programmes; a new programme is set up with every app's lists"
    ),
}


def _app_modules() -> list[tuple[str, Path]]:
    return [
        (path.relative_to(PACKAGE).parts[0], path)
        for path in PACKAGE.rglob("*.py")
        if len(path.relative_to(PACKAGE).parts) > 1
        and "tests" not in path.parts
        and "migrations" not in path.parts
    ]


def test_every_app_has_a_rank():
    apps = {app for app, _ in _app_modules()} - {"templates", "static"}
    assert apps <= set(RANK), sorted(apps - set(RANK))


def test_no_app_imports_from_a_higher_rank():
    upward = set()
    for app, path in _app_modules():
        for name in _imports(path):
            parts = name.split(".")
            other = parts[1] if parts[0] == "healthtrainer" and len(parts) > 1 else ""
            if other in RANK and RANK[other] > RANK[app]:
                upward.add(str(path.relative_to(PACKAGE)))
    assert upward <= set(UPWARD_IMPORTS_ALLOWED), sorted(upward - set(UPWARD_IMPORTS_ALLOWED))
    assert len(UPWARD_IMPORTS_ALLOWED) <= 5


def test_the_allowed_upward_imports_are_all_still_needed():
    for path in UPWARD_IMPORTS_ALLOWED:
        app = path.split("/")[0]
        assert any(
            name.split(".")[1] in RANK and RANK[name.split(".")[1]] > RANK[app]
            for name in _imports(PACKAGE / path)
            if name.startswith("healthtrainer.")
        ), f"{path} no longer imports upward: take it off the list"


def test_no_module_outside_migrations_and_tests_passes_500_lines():
    long = {
        str(path.relative_to(PACKAGE)): lines
        for _, path in _app_modules()
        if (lines := len(path.read_text().splitlines())) > 500
    }
    assert not long, long


def test_views_forms_and_services_split_one_way():
    """One module each until it passes 400 lines, then a package by page area; never a
    `views_<area>.py` beside it (docs/development.md)."""
    kinds = ("views", "forms", "services")
    for _, path in _app_modules():
        assert not any(path.name.startswith(f"{kind}_") for kind in kinds), path
        if path.stem in kinds and path.parent.name not in kinds:
            assert len(path.read_text().splitlines()) <= 400, path
