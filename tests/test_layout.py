"""The package layout is the architecture: subpackages in layers, each importing only
from layers below it (or itself), no import cycles, and the command line on top calling
only the public API."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "xl_nhandao"

#: Lower layers first. A module may import from its own layer or a lower one.
LAYERS = {
    "xl_nhandao.i18n": 0, "xl_nhandao.errors": 0,
    "xl_nhandao.vn": 1,
    "xl_nhandao.issues": 2,
    "xl_nhandao.workbook": 3,
    "xl_nhandao.validate": 4,
    "xl_nhandao.consolidate": 5,
    "xl_nhandao.overlap": 6, "xl_nhandao.report": 6,
    "xl_nhandao.demo": 7,
    "xl_nhandao.schema": 8, "xl_nhandao.docs": 8,
    "xl_nhandao": 9,  # the public API
    "xl_nhandao.render": 10, "xl_nhandao.cli": 10, "xl_nhandao.__main__": 10,
    "xl_nhandao.addin": 10,  # the Excel add-in: on top, beside the command line
}


def _modules() -> dict[str, Path]:
    out = {}
    for f in PKG.rglob("*.py"):
        parts = f.relative_to(PKG.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = f
    return out


def _runtime_imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Modules ``name`` imports when it runs (anywhere but under ``if TYPE_CHECKING``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
            and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
            for n in ast.walk(node)}
    deps = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                deps.add(sub if sub in modules else target)
        elif isinstance(node, ast.Import):
            deps.update(a.name for a in node.names)
    return {d for d in deps if d in modules and d != name}


def _layer(name: str) -> int:
    while name not in LAYERS:
        name = name.rsplit(".", 1)[0]
    return LAYERS[name]


def test_every_module_imports_only_from_its_layer_or_below() -> None:
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        for dep in _runtime_imports(name, path, modules):
            if _layer(dep) > _layer(name):
                wrong.append(f"{name} → {dep}")
    assert wrong == []


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: _runtime_imports(name, path, modules) for name, path in modules.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(n: str, stack: list[str]) -> None:
        state[n] = 1
        for d in sorted(graph[n]):
            if state.get(d) == 1:
                cycles.append(" → ".join([*stack[stack.index(d):], d]))
            elif d not in state:
                visit(d, [*stack, d])
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n, [n])
    assert cycles == []


def test_the_command_line_calls_only_the_public_api() -> None:
    modules = _modules()
    # ... and the add-in's build and install, which its "addin" commands run
    allowed = {"xl_nhandao", "xl_nhandao.errors", "xl_nhandao.i18n", "xl_nhandao.render",
               "xl_nhandao.addin.build", "xl_nhandao.addin.install"}
    assert _runtime_imports("xl_nhandao.cli", modules["xl_nhandao.cli"], modules) <= allowed
    # The terminal rendering too: it shows what the public API returns.
    allowed = {"xl_nhandao", "xl_nhandao.errors", "xl_nhandao.i18n"}
    assert _runtime_imports("xl_nhandao.render", modules["xl_nhandao.render"], modules) <= allowed


def test_the_add_in_build_and_install_stand_apart() -> None:
    """Building and installing the .xlam touch no workbook logic: errors, languages, and
    each other."""
    modules = _modules()
    allowed = {"xl_nhandao.errors", "xl_nhandao.i18n", "xl_nhandao.addin.build"}
    for name in ("xl_nhandao.addin.build", "xl_nhandao.addin.install"):
        assert _runtime_imports(name, modules[name], modules) <= allowed, name


def test_the_addin_calls_the_public_api_and_the_workbook_interface_only() -> None:
    """The ribbon's handlers make the library calls of the public API, like the command
    line; below it they reach only the workbook interface (the live workbook implements
    it), the format of the marks they share with ``validate --annotate``, and the legacy
    text converter the "Chuyển mã chữ cũ" button applies."""
    modules = _modules()
    allowed = {"xl_nhandao", "xl_nhandao.errors", "xl_nhandao.i18n",
               "xl_nhandao.workbook.source", "xl_nhandao.workbook.annotate", "xl_nhandao.vn.text"}
    wrong = {}
    for name, path in modules.items():
        if name == "xl_nhandao.addin" or name.startswith("xl_nhandao.addin."):
            outside = {d for d in _runtime_imports(name, path, modules)
                       if not (d == "xl_nhandao.addin" or d.startswith("xl_nhandao.addin."))}
            if outside - allowed:
                wrong[name] = sorted(outside - allowed)
    assert wrong == {}
