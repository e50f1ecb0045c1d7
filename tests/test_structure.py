"""The house's structure: every module imports alone, layers import only downwards, modules
stay short, and a request passes only through wrappers that do work."""

import ast
import subprocess
import sys
from pathlib import Path

import flask_restful
import pytest

from tests import imports_alone
from tests.imports_alone import LAYERS, MODULES, ROOT, module_name

PROJECT = frozenset(LAYERS)
MAX_LINES = 150
# Outside the four layers, the other Python files that are the project's own code.
OTHER_CODE = ("gunicorn.conf.py", "migrations/env.py")


def imports_of(path: Path) -> list[tuple[str, bool]]:
    """Every project module `path` imports, and whether at module level (not in a function)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node, top_level: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = top_level and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, inside) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0:
                found.append((child.module, inside))
                found.extend((f"{child.module}.{alias.name}", inside) for alias in child.names)
            visit(child, inside)

    visit(tree, True)
    return [(name, top) for name, top in found if name.split(".")[0] in PROJECT]


def layer_imports(layer: str) -> dict[str, set[str]]:
    return {
        module_name(path): {name.split(".")[0] for name, _ in imports_of(path)}
        for path in MODULES
        if module_name(path).split(".")[0] == layer
    }


def test_every_module_imports_alone_in_a_fresh_interpreter():
    results = imports_alone.results()  # started with the run (tests/imports_alone.py)

    assert [name for name, _, _ in results] == [module_name(path) for path in MODULES]
    assert len(results) > 20
    assert [(name, error) for name, code, error in results if code] == []


def test_the_imports_check_tells_a_failed_import_from_a_done_one():
    assert imports_alone.import_alone("json") == ["json", 0, []]
    failed = ["no_such_module", 1, ["ModuleNotFoundError: No module named 'no_such_module'"]]
    assert imports_alone.import_alone("no_such_module") == failed


@pytest.mark.parametrize(
    ("args", "started"),
    [
        (["tests"], True),
        ([str(ROOT)], True),
        (["tests/test_structure.py::test_modules_are_short"], True),
        (["tests/test_cli.py", "tests/resources"], False),
        (["tests/test_structure_of_something_else.py"], False),
    ],
)
def test_the_run_starts_the_imports_check_when_its_paths_reach_this_module(
    monkeypatch, args, started
):
    monkeypatch.chdir(ROOT)
    assert imports_alone.runs_the_check(args) is started


@pytest.mark.parametrize(
    ("layer", "never"),
    [("models", {"resources", "schemas"}), ("schemas", {"resources", "api"})],
)
def test_lower_layers_never_import_higher_ones(layer, never):
    reaching_up = {module: found & never for module, found in layer_imports(layer).items()}

    assert layer_imports(layer)
    assert {module: up for module, up in reaching_up.items() if up} == {}


def test_extensions_import_no_project_module():
    assert imports_of(ROOT / "api" / "extensions.py") == []


def test_the_factory_imports_resources_and_commands_only_in_its_register_steps():
    imported = imports_of(ROOT / "api" / "__init__.py")
    late = {"resources", "api.cli"}

    assert {name for name, top in imported if top} & late == set()
    assert late <= {name for name, top in imported if not top}
    for module, found in layer_imports("api").items():
        if module != "api":
            assert "resources" not in found, module


@pytest.mark.parametrize(
    "path",
    [*MODULES, *(ROOT / name for name in OTHER_CODE)],
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_modules_are_short(path):
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{lines} lines"


# The wrappers a request may pass through, by where their code is defined; anything else
# between Flask-RESTful's dispatch and the view (a wrapper that only documents) fails.
WORKING_WRAPPERS = {
    ("api/rest.py", "Blueprint.auth.<locals>.decorator.<locals>.authenticated"): "auth",
    ("api/rest.py", "Blueprint.lookup.<locals>.decorator.<locals>.resolved"): "lookup",
    ("api/paging.py", "Paginating.paginated.<locals>.decorator.<locals>.linked"): "links",
    ("api/cached.py", "serve_cached.<locals>.cached"): "cache",
    ("api/extensions.py", "Limiter.limit.<locals>.limited"): "limits",
    ("api/etags.py", "conditional.<locals>.checked"): "etag",
    ("api/rest.py", "Blueprint.conflicts.<locals>.decorator.<locals>.retried"): "retry",
    ("webargs/core.py", "Parser.use_args.<locals>.decorator.<locals>.wrapper"): "arguments",
    ("flask_smorest/response.py", "ResponseMixin.response.<locals>.decorator.<locals>.wrapper"): (
        "response"
    ),
}


def wrappers_of(method) -> list[str]:
    chain = []
    while hasattr(method, "__wrapped__"):
        code = method.__code__  # `wraps` renames the wrapper, not its code
        where = "/".join(Path(code.co_filename).parts[-2:])
        chain.append(WORKING_WRAPPERS.get((where, code.co_qualname), f"{where}:{code.co_qualname}"))
        method = method.__wrapped__
    return chain


@pytest.fixture(scope="module")
def operations(tmp_path_factory):
    from api import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('structure') / 'unused.sqlite3'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    found = {}
    for rule in app.url_map.iter_rules():
        view_class = getattr(app.view_functions[rule.endpoint], "view_class", None)
        if view_class is None:
            continue
        assert issubclass(view_class, flask_restful.Resource), rule.endpoint
        assert view_class.method_decorators == [], rule.endpoint  # none re-applied per request
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            view = getattr(view_class, method.lower())
            found[method, rule.rule] = (wrappers_of(view), view)
    return found


def test_every_operation_is_a_resource_method(operations):
    moderation = {key for key in operations if key[1].startswith("/api/admin/")}
    assert (len(operations) - len(moderation), len(moderation)) == (19, 6)  # the contract's 19


def test_reads_pass_only_through_auth_etag_links_cache_lookup_arguments_and_response(operations):
    reads = {route: chain for (method, route), (chain, _) in operations.items() if method == "GET"}
    lists = {"/api/articles", "/api/articles/feed", "/api/admin/users", "/api/admin/audit"}

    # The links outside the cache: a cached answer's are made from its URL and its count.
    assert reads["/api/articles"] == ["auth", "etag", "links", "cache", "arguments", "response"]
    assert reads["/api/admin/audit"] == ["auth", "etag", "links", "arguments", "response"]
    assert reads["/api/articles/<slug:slug>"] == ["auth", "etag", "cache", "lookup", "response"]
    assert reads["/api/tags"] == ["etag", "cache", "response"]
    assert reads["/api/user"] == ["auth", "etag", "response"]  # the caller's own: never cached
    working = {"auth", "etag", "links", "cache", "lookup", "arguments", "response"}
    for route, chain in reads.items():
        assert chain[-1] == "response" and "etag" in chain, route  # every read is tagged
        assert set(chain) <= working, route
        assert ("links" in chain) == (route in lists), route
        assert len(chain) == len(set(chain)) <= (6 if route in lists else 5), route


def test_writes_that_honour_if_match_check_it_after_their_lookups(operations):
    conditional = {key for key, (chain, _) in operations.items() if "etag" in chain}
    writes = {key for key in conditional if key[0] != "GET"}

    assert writes == {
        ("PUT", "/api/articles/<slug:slug>"),
        ("DELETE", "/api/articles/<slug:slug>"),
        ("DELETE", "/api/articles/<slug:slug>/comments/<int:comment_id>"),
        ("PUT", "/api/user"),
        ("POST", "/api/articles/<slug:slug>/comments"),  # tags the new comment, for its DELETE
    }
    for key in writes - {("PUT", "/api/user")}:  # 404 and 403 before 412, 412 before 422
        chain = operations[key][0]
        assert chain.index("lookup") + 1 == chain.index("etag"), key


def test_only_writes_that_can_lose_a_race_retry(operations):
    retrying = {key for key, (chain, _) in operations.items() if "retry" in chain}

    assert retrying == {
        ("POST", "/api/users"),
        ("PUT", "/api/user"),
        ("POST", "/api/articles"),
        ("PUT", "/api/articles/<slug:slug>"),
    }
    for key, (chain, _) in operations.items():
        assert all(":" not in wrapper for wrapper in chain), (key, chain)


def test_only_sign_in_and_sign_up_are_limited_before_their_body_is_parsed(operations):
    limited = {key: chain for key, (chain, _) in operations.items() if "limits" in chain}

    assert limited == {
        ("POST", "/api/users"): ["limits", "arguments", "retry", "response"],
        ("POST", "/api/users/login"): ["limits", "arguments", "response"],
    }


def test_a_serving_app_never_loads_faker():
    """Faker writes the demo data (`flask seed`) alone: a worker that serves the API, built and
    answering, does without its memory."""
    served = (
        "import sys; from api import create_app; "
        "app = create_app({'TESTING': True, 'SQLALCHEMY_DATABASE_URI': 'sqlite://'}); "
        "assert app.test_client().get('/api/user').status_code == 401; "
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'faker'))"
    )
    done = subprocess.run([sys.executable, "-c", served], cwd=ROOT, capture_output=True, text=True)

    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr[-2000:]
