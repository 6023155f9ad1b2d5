"""The shape every service keeps: siblings on one base, a permission check opening each use case."""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import fields

import pytest

from clinic_app.services.base import Service
from clinic_app.services.container import AppServices
from clinic_app.services.demo import DemoSeeder

#: The services the composition root builds (AppServices' annotations are strings).
SERVICES = {str(f.type) for f in fields(AppServices) if str(f.type).endswith("Service")}


def service_classes() -> list[type[Service]]:
    return sorted(Service.__subclasses__(), key=lambda cls: cls.__name__)


def public_methods(cls: type[Service]) -> list[str]:
    return sorted(
        name
        for name, member in vars(cls).items()
        if inspect.isfunction(member) and not name.startswith("_")
    )


def test_the_app_builds_every_service_there_is() -> None:
    built = {cls.__name__ for cls in service_classes()} - {DemoSeeder.__name__}
    assert built == SERVICES


@pytest.mark.parametrize("cls", service_classes(), ids=lambda cls: cls.__name__)
def test_services_are_siblings(cls: type[Service]) -> None:
    assert cls.__bases__ == (Service,)
    assert not cls.__subclasses__()


@pytest.mark.parametrize(
    ("cls", "name"),
    [(cls, name) for cls in service_classes() for name in public_methods(cls)],
    ids=lambda v: v if isinstance(v, str) else v.__name__,
)
def test_every_use_case_asks_permission_first(cls: type[Service], name: str) -> None:
    """The place issue 10's permission table answers: the first statement, before any read."""
    source = textwrap.dedent(inspect.getsource(getattr(cls, name)))
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    body = function.body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    first = body[0]
    assert isinstance(first, ast.Expr), f"{cls.__name__}.{name} must start with self._permit"
    call = first.value
    assert isinstance(call, ast.Call)
    assert ast.unparse(call.func) == "self._permit"
    action = call.args[0]
    assert isinstance(action, ast.Constant)
    assert "." in action.value
