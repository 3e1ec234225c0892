"""The shape of the package, read from its own imports and files (the house rules of README).

* Imports go one way: no cycle between the package's modules, counting imports inside functions
  too (an import inside a function that closes a cycle only hides it).
* Rooms talk through public names: no module imports another module's underscore name
  (dunders such as ``__version__`` are public).
* Rooms stay small: no module over 800 lines, except the demo generator (one long recipe).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cleannet_eval"
MAX_LINES = 800
LONG_ALLOWED = {"cleannet_eval.demo"}


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


MODULES = _modules()


def _target(module: str, node: ast.ImportFrom) -> str | None:
    """The absolute module an ``ImportFrom`` reads from, or None outside the package."""
    if node.level:
        package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
        parts = package.split(".")
        base = parts[: len(parts) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    return target if target.split(".")[0] == "cleannet_eval" else None


def _imports(module: str) -> list[tuple[str, str | None, int]]:
    """``(imported module, imported name or None, line)`` for every import in ``module``."""
    found = []
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, None, node.lineno) for a in node.names if a.name in MODULES]
        elif isinstance(node, ast.ImportFrom):
            target = _target(module, node)
            if target is None:
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in MODULES:
                    found.append((submodule, None, node.lineno))
                elif target in MODULES:
                    found.append((target, alias.name, node.lineno))
    return found


def _graph() -> dict[str, set[str]]:
    return {m: {t for t, _, _ in _imports(m) if t != m} for m in MODULES}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return components


def test_the_checker_sees_a_cycle() -> None:
    # The checker itself: a made-up graph with a cycle a → b → c → a and a tail d → a.
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_checker_reads_relative_imports() -> None:
    graph = _graph()
    assert "cleannet_eval.analysis.roster" in graph["cleannet_eval.analysis.coverage"]
    assert "cleannet_eval.errors" in graph["cleannet_eval.ingest.pipeline"]


def test_no_import_cycle() -> None:
    assert _cycles(_graph()) == []


def test_no_private_name_crosses_a_module() -> None:
    crossing = [
        f"{MODULES[m].relative_to(PACKAGE.parent)}:{line} imports {name} from {target}"
        for m in MODULES
        for target, name, line in _imports(m)
        if name and name.startswith("_") and not (name.startswith("__") and name.endswith("__"))
    ]
    assert crossing == []


@pytest.mark.parametrize("module", sorted(set(MODULES) - LONG_ALLOWED))
def test_module_is_small(module: str) -> None:
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by job"


# --------------------------------------------------------------------------- words

#: Thai script (letters, marks, digits, signs); U+0E00 and U+0E7F, bounds in range checks, are
#: unassigned and not counted.
THAI = re.compile("[\u0e01-\u0e5b]")
#: Where a Thai-script string literal may stand: input recognition, not display. Module (or
#: package, ending in ".") → the top-level names (assignments, functions, classes) that may hold
#: one, or "*" for the whole module. Every displayed word goes to data/words/words.yaml.
THAI_ALLOWED: dict[str, set[str] | str] = {
    # the spellings people type in office spreadsheets: header aliases, answer scales, titles,
    # Thai dates and months, sign-in sheet lines, and error messages quoting them
    "cleannet_eval.ingest.": "*",
    # the synthetic office spreadsheets the ingest reads (names, units, headings as offices write)
    "cleannet_eval.demo": "*",
    # the blank input workbooks: their headings and help are what the ingest recognises
    "cleannet_eval.templates": "*",
    # spellings of the vocabulary codes found in spreadsheets
    "cleannet_eval.vocab": {"STAFF_TYPE_ALIASES", "ROLE_ALIASES", "LEFT_REASON_ALIASES"},
    # where a Thai word starts, to break chart labels (not words shown as such)
    "cleannet_eval.charts.theme": {"_WORD_STARTS"},
}


def _thai_literals(source: str) -> list[tuple[str | None, int, str]]:
    """``(top-level owner, line, text)`` of every Thai-script string literal that is not a
    docstring (f-string parts included)."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    found = []
    for top in tree.body:
        owner = None
        if isinstance(top, ast.Assign) and isinstance(top.targets[0], ast.Name):
            owner = top.targets[0].id
        elif isinstance(top, ast.AnnAssign) and isinstance(top.target, ast.Name):
            owner = top.target.id
        elif isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            owner = top.name
        for node in ast.walk(top):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    id(node) not in docstrings and THAI.search(node.value):
                found.append((owner, node.lineno, node.value))
    return found


def _allowed(module: str) -> set[str] | str:
    for name, owners in THAI_ALLOWED.items():
        if module == name or (name.endswith(".") and module.startswith(name)):
            return owners
    return set()


def test_the_thai_checker_sees_literals_and_skips_docstrings() -> None:
    source = ('"""ภาษาไทย"""\nX = {"a": "ค่าเฉลี่ย"}\n'
              'def f(n):\n    """ข้อ"""\n    return f"{n} คน" + "\\u0e00"\n')
    assert [(o, line) for o, line, _ in _thai_literals(source)] == [("X", 2), ("f", 5)]


def test_no_thai_display_words_in_code() -> None:
    """A Thai word shown to a reader belongs in data/words/words.yaml (cleannet_eval.i18n)."""
    stray, used = [], set()
    for module, path in MODULES.items():
        owners = _allowed(module)
        for owner, line, value in _thai_literals(path.read_text(encoding="utf-8")):
            if owners == "*" or owner in owners:
                used.add((module, owner))
                continue
            stray.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({owner}): {value[:40]!r}")
    assert stray == [], "Thai words in code; move them to data/words/words.yaml:\n" + \
        "\n".join(stray)
    stale = [f"{m}.{o}" for m, owners in THAI_ALLOWED.items() if owners != "*"
             for o in owners if (m, o) not in used]
    assert stale == [], f"allowed but without Thai literals any more: {stale}"


# ----------------------------------------------------------------- thin notebooks

NOTEBOOKS = sorted((PACKAGE.parent / "notebooks").glob("*.ipynb"))
#: A notebook cell reads facts → narrative → table → chart: a few "is there anything to show"
#: gates are its own; any further decision belongs in the package (cleannet_eval.facts,
#: Report). The issue counted 93 branches in five notebooks (116 in six before the facts).
MAX_BRANCHES_PER_CELL = 4
MAX_BRANCHES_PER_NOTEBOOK = 15
#: Logic that was repeated in the notebooks and now has one home in the package.
REPEATED = {
    ".fillna(False)": "a unit or year filter: Report.unit_rows / analysis.selection.rows_of",
    ".startswith('<')": "the p-value phrase: Report.p_is",
    '.startswith("<")': "the p-value phrase: Report.p_is",
    "iloc[0] if len(": "a first value with a default: facts.first_value / facts.first_row",
    "report.unit or ": "the scope's plain name: Report.plain_where",
}


def _code_cells(path: Path) -> list[str]:
    import json

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def branches(source: str) -> int:
    """``if`` statements, conditional expressions and comprehension conditions in code.

    Examples
    --------
    >>> branches("x = 1 if y else 2\\nif z:\\n    pass\\n[a for a in b if a]")
    3
    """
    tree = ast.parse(source)
    return sum(isinstance(node, (ast.If, ast.IfExp)) for node in ast.walk(tree)) + sum(
        len(node.ifs) for node in ast.walk(tree) if isinstance(node, ast.comprehension))


def test_branch_counter_counts() -> None:
    assert branches("x = 1 if y else 2\nif z:\n    pass\n[a for a in b if a]") == 3
    assert branches("report.say(th=a, en=b)") == 0


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_logic_lives_in_the_package(notebook: Path) -> None:
    cells = _code_cells(notebook)
    counts = [branches(source) for source in cells]
    assert max(counts) <= MAX_BRANCHES_PER_CELL, (
        f"{notebook.name}: a code cell has {max(counts)} branches (at most "
        f"{MAX_BRANCHES_PER_CELL}); move the decision into cleannet_eval.facts or Report")
    assert sum(counts) <= MAX_BRANCHES_PER_NOTEBOOK, (
        f"{notebook.name}: {sum(counts)} branches (at most {MAX_BRANCHES_PER_NOTEBOOK})")
    found = [f"{pattern!r} ({home})" for source in cells
             for pattern, home in REPEATED.items() if pattern in source]
    assert found == [], f"{notebook.name} repeats package logic: {', '.join(found)}"


def test_there_are_notebooks_to_check() -> None:
    assert len(NOTEBOOKS) == 6
