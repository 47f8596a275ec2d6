"""The layers of questions/: views → study, services and selectors → the pure core. Nothing
imports upward, no module imports itself back through others, and only views read the clock."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

APP = Path(settings.BASE_DIR) / "questions"
FRONT_ENDS = ("questions.api", "questions.web", "questions.templatetags", "questions.admin")
# The pure core: plain values in and out, no ORM, no front end.
PURE = ("questions.domain", "questions.errors", "questions.grading", "questions.scheduling")


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in APP.rglob("*.py") if "migrations" not in path.parts}


def imports_of(name: str) -> set[str]:
    """The modules of questions/ that `name` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            candidates = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found |= {candidate for candidate in candidates if candidate in MODULES}
    return found - {name}


GRAPH = {name: imports_of(name) for name in MODULES}


def test_no_module_imports_itself_back_through_others():
    def cycle_from(start):
        path, seen = [start], set()

        def walk(name):
            for target in sorted(GRAPH[name]):
                if target == start:
                    return [*path, start]
                if target not in seen:
                    seen.add(target)
                    path.append(target)
                    if found := walk(target):
                        return found
                    path.pop()
            return None

        return walk(start)

    cycles = [cycle for name in sorted(GRAPH) if (cycle := cycle_from(name))]

    assert cycles == []


@pytest.mark.parametrize("layer", ["questions.study", "questions.services", "questions.selectors"])
def test_the_study_module_services_and_selectors_never_import_a_front_end(layer):
    upward = {
        (name, target)
        for name in GRAPH
        if name.startswith(layer)
        for target in GRAPH[name]
        if target.startswith(FRONT_ENDS)
    }

    assert upward == set()


def test_the_pure_core_imports_neither_the_orm_nor_django():
    for name in PURE:
        tree = ast.parse(MODULES[name].read_text())
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert not {
            module
            for module in imported
            if module and module.startswith(("django", "questions.models"))
        }, name


@pytest.mark.parametrize("layer", ["study", "services", "selectors"])
def test_only_views_read_the_clock(layer):
    readers = [
        path.name
        for path in (APP / layer).rglob("*.py")
        if "timezone.now(" in path.read_text() or "datetime.now(" in path.read_text()
    ]

    assert readers == []
