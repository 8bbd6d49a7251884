"""The failure contract: library messages speak of arguments, only the command line names its options."""

from __future__ import annotations

import ast
import re
import socket
from pathlib import Path

import pytest
from rdflib import Dataset

import ember3kg
from ember3kg.cli import cli, main
from ember3kg.errors import InputError, ServerError
from ember3kg.query import parse_param
from ember3kg.stores.push import push
from ember3kg.stores.request_timeout import Supervisor
from ember3kg.stores.serve import HOST
from ember3kg.stores.sparql_client import PASSWORD_VARIABLE, Credentials

SOURCE = Path(ember3kg.__file__).parent


def _option_names() -> set[str]:
    """Collect every long option of the command line."""
    commands = [cli, *cli.commands.values()]
    return {name for command in commands for param in command.params for name in param.opts if name.startswith("--")}


def _messages(tree: ast.Module) -> list[str]:
    """Collect the strings that can reach a user: not docstrings, module constants or argument lists."""
    skipped: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if ast.get_docstring(node) is not None:
                skipped.append(node.body[0])
        if isinstance(node, ast.Module):
            # Module constants are file headers and tables: the generated imports file names its command.
            skipped.extend(statement for statement in node.body if isinstance(statement, ast.Assign))
        if isinstance(node, ast.List | ast.Tuple):
            # The argument lists of the subprocesses we run (oxigraph, Jena) hold their own options.
            skipped.extend(node.elts)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append":
            skipped.extend(node.args)
    hidden = {id(part) for node in skipped for part in ast.walk(node)}
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in hidden
    ]


def test_the_command_line_has_options_to_look_for() -> None:
    assert {"--batch-size", "--param", "--port", "--update-endpoint", "--user"} <= _option_names()


@pytest.mark.parametrize(
    "module",
    sorted(path.relative_to(SOURCE).as_posix() for path in SOURCE.rglob("*.py") if path.name != "cli.py"),
)
def test_library_messages_name_no_command_line_option(module: str) -> None:
    options = _option_names()
    named = [
        text
        for text in _messages(ast.parse((SOURCE / module).read_text("utf-8")))
        for option in re.findall(r"--[a-z][a-z-]*", text)
        if option in options
    ]
    assert named == []


@pytest.mark.parametrize(
    ("target", "batch_size", "message"),
    [
        ({}, 1000, "give either a Graph Store URL or an Update endpoint, not both or neither"),
        (
            {"store_url": "http://127.0.0.1:9/store", "update_endpoint": "http://127.0.0.1:9/update"},
            1000,
            "give either a Graph Store URL or an Update endpoint, not both or neither",
        ),
        ({"store_url": "http://127.0.0.1:9/store"}, 0, "batch size must be at least 1, not 0"),
    ],
    ids=["neither", "both", "batch-size"],
)
def test_bad_push_arguments_are_input_errors(target: dict[str, str], batch_size: int, message: str) -> None:
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        push(Dataset(), **target, batch_size=batch_size)


def test_a_user_without_the_password_variable_is_an_input_error() -> None:
    message = f"user alice needs the password in the environment variable {PASSWORD_VARIABLE}"
    with pytest.raises(InputError, match=f"^{message}$"):
        Credentials.from_environment("alice", {})


def test_a_busy_port_is_a_server_error_naming_it() -> None:
    with socket.socket() as busy:
        busy.bind((HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServerError, match=f"^port {port} on {re.escape(HOST)} is already in use$"):
            Supervisor(object(), HOST, port, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("result", "parameter 'result': expected NAME=VALUE"),
        ("result=nope:x", "parameter value nope:x: unknown prefix 'nope'; `ember3kg query --help` lists them"),
    ],
    ids=["no-equals-sign", "unknown-prefix"],
)
def test_bad_parameters_are_input_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        parse_param(text)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["push"], "give either URL or --update-endpoint, not both or neither"),
        (
            ["push", "http://127.0.0.1:9/store", "--update-endpoint", "http://127.0.0.1:9/update"],
            "give either URL or --update-endpoint, not both or neither",
        ),
        (
            ["push", "http://127.0.0.1:9/store", "--batch-size", "0"],
            "Invalid value for '--batch-size': 0 is not in the range x>=1.",
        ),
        (
            ["query", "trial-design", "--param", "result"],
            "Invalid value for '--param' / '-p': parameter 'result': expected NAME=VALUE",
        ),
    ],
    ids=["push-neither", "push-both", "push-batch-size", "query-param"],
)
def test_the_command_line_names_the_option(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == InputError.exit_code
    assert capsys.readouterr().err == f"error: {message}\n"
