"""Every file the package writes goes through ember3kg.io.outputs (the atomic writer).

The check parses each module of ``src/ember3kg`` and names every call that writes or
creates a named file by itself: ``open``/``Path.open``/``ZipFile`` in a writing mode,
``write_text``, ``write_bytes``, ``mkdir``, ``os.replace``, ``shutil.copy``, an rdflib or
pyoxigraph ``serialize`` given a destination, ``savefig`` to a file, named temporary
files. Writing into an in-memory buffer (``io.BytesIO()``, ``io.StringIO()``) is no file write.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ember3kg
from ember3kg.errors import OutputError
from ember3kg.io.outputs import staged_folder, write_staged

PACKAGE = Path(ember3kg.__file__).parent
#: The one module allowed to write files.
WRITER = PACKAGE / "io" / "outputs.py"
#: Methods and functions that write or create a named file whatever their arguments.
_WRITING_CALLS = frozenset(
    {"write_text", "write_bytes", "mkdir", "makedirs", "touch", "symlink_to", "hardlink_to", "mkstemp", "mkdtemp"}
    | {"NamedTemporaryFile", "copy", "copy2", "copyfile", "copytree", "move", "replace", "rename", "link", "symlink"}
)
#: Of those, the names that are writes only as functions of these modules (``str.replace`` is not one).
_MODULE_ONLY = {"copy": "shutil", "copy2": "shutil", "move": "shutil", "replace": "os", "rename": "os"}
#: Calls that write when given a writing mode.
_OPENING_CALLS = frozenset({"open", "ZipFile", "fdopen"})
#: Methods that write to their first argument (or ``destination=``) when given one.
_TO_DESTINATION = frozenset({"serialize", "savefig"})
_BUFFERS = frozenset({"BytesIO", "StringIO"})
#: ``os.open`` flags that create or change a file.
_WRITING_FLAGS = frozenset({"O_CREAT", "O_TRUNC", "O_APPEND"})


def raw_writes(source: str, filename: str) -> list[str]:
    """Name each call of ``source`` that writes a file without :mod:`ember3kg.io.outputs`, as ``FILE:LINE: CALL``."""
    tree = ast.parse(source, filename)
    buffers = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and _name(node.value.func) in _BUFFERS
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    calls = sorted(
        (node for node in ast.walk(tree) if isinstance(node, ast.Call)), key=lambda c: (c.lineno, c.col_offset)
    )
    return [
        f"{filename}:{call.lineno}: {ast.unparse(call.func)}(...) writes a file outside ember3kg.io.outputs"
        for call in calls
        if _writes(call, buffers)
    ]


def _name(function: ast.expr) -> str:
    """Give the called name: ``open`` for ``open(...)`` and ``path.open(...)``."""
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else ""


def _writes(call: ast.Call, buffers: set[str]) -> bool:
    """Whether ``call`` writes or creates a named file."""
    name = _name(call.func)
    first = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "destination"), None)
    if isinstance(first, ast.Name) and first.id in buffers:
        return False
    if name in _MODULE_ONLY:
        owner = call.func.value if isinstance(call.func, ast.Attribute) else None
        return isinstance(owner, ast.Name) and owner.id == _MODULE_ONLY[name]
    if name in _WRITING_CALLS:
        return True
    if name == "open" and isinstance(call.func, ast.Attribute) and _name(call.func.value) == "os":
        return bool(_WRITING_FLAGS & {node.attr for node in ast.walk(call) if isinstance(node, ast.Attribute)})
    if name in _OPENING_CALLS:
        position = 0 if isinstance(call.func, ast.Attribute) and name == "open" else 1
        modes = [*call.args[position : position + 1], *(k.value for k in call.keywords if k.arg == "mode")]
        return any(isinstance(mode, ast.Constant) and set(str(mode.value)) & set("wax+") for mode in modes)
    return name in _TO_DESTINATION and isinstance(call.func, ast.Attribute) and first is not None


def test_no_module_writes_a_file_outside_the_outputs_module() -> None:
    found = [
        problem
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != WRITER
        for problem in raw_writes(path.read_text("utf-8"), str(path.relative_to(PACKAGE.parent.parent)))
    ]

    assert found == []


def test_the_outputs_module_is_the_one_that_writes() -> None:
    # The checker sees the writes the outputs module does: it is exempt, not blind.
    assert len(raw_writes(WRITER.read_text("utf-8"), "outputs.py")) >= 5


WRITES = """\
import io, os, shutil, zipfile
from pathlib import Path

def page(root: Path, graph, figure) -> None:
    (root / "index.html").write_bytes(b"<html>")
    with open(root / "a.txt", "w") as stream:
        stream.write("a")
    with (root / "b.txt").open(mode="a") as stream:
        stream.write("b")
    graph.serialize(destination=root / "g.ttl", format="turtle")
    graph.serialize(root / "g.nt", format="nt")
    figure.savefig(root / "plot.svg")
    zipfile.ZipFile(root / "x.zip", "w")
    os.replace(root / "a.txt", root / "c.txt")
    shutil.copy(root / "a.txt", root / "d.txt")
    os.open(root / "e", os.O_WRONLY | os.O_CREAT)
    (root / "sub").mkdir()
"""

READS = """\
import io, os, zipfile
from pathlib import Path

def page(root: Path, graph, figure) -> bytes:
    text = (root / "a.txt").read_text().replace("a", "b")
    with open(root / "a.txt") as stream, (root / "b.txt").open("rb") as other:
        text += stream.read() + other.read().decode()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    zipfile.ZipFile(buffer, "w")
    os.open(os.devnull, os.O_WRONLY)
    return graph.serialize(format="nt", encoding="utf-8") + buffer.getvalue()
"""


def test_the_checker_names_every_raw_write_by_file_and_line() -> None:
    assert raw_writes(WRITES, "src/ember3kg/example.py") == [
        f"src/ember3kg/example.py:{line}: {call}(...) writes a file outside ember3kg.io.outputs"
        for line, call in [
            (5, "(root / 'index.html').write_bytes"),
            (6, "open"),
            (8, "(root / 'b.txt').open"),
            (10, "graph.serialize"),
            (11, "graph.serialize"),
            (12, "figure.savefig"),
            (13, "zipfile.ZipFile"),
            (14, "os.replace"),
            (15, "shutil.copy"),
            (16, "os.open"),
            (17, "(root / 'sub').mkdir"),
        ]
    ]


def test_the_checker_passes_reads_and_in_memory_writes() -> None:
    assert raw_writes(READS, "src/ember3kg/example.py") == []


def test_a_failed_staged_folder_leaves_the_previous_folder(tmp_path: Path) -> None:
    root = tmp_path / "site"
    with staged_folder(root) as staging:
        write_staged(staging / "index.html", b"old")

    with (
        pytest.raises(OutputError, match=r"\.site\.staging-\w+/sub/page\.html: cannot write: File exists$"),
        staged_folder(root) as staging,
    ):
        write_staged(staging / "index.html", b"new")
        write_staged(staging / "sub", b"a file where a folder comes")
        write_staged(staging / "sub" / "page.html", b"new")

    assert (root / "index.html").read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["site"]
