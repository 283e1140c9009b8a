"""``--param name=value`` → the keyword arguments of a facade method, converted by its annotations.

The facade methods are the contract: their type hints say what each
argument is (``str``, ``int``, ``bool``, ``datetime.date``, an enum, a
``Literal``, an ``Iterable[...]``, a small attrs record such as
``ProofOfAuthentication``), so the command needs no per-service table.
Values are converted here; the facade then validates them as it would for
any Python caller.  Error messages name the parameter, never its value (it
may be a national number).
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import inspect
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from ._errors import UsageError

__all__ = ["Parameter", "bind_params", "describe_type", "method_parameters", "parse_assignments"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}
_NONE = {"none", "null"}
_SEQUENCES = {
    collections.abc.Iterable,
    collections.abc.Sequence,
    collections.abc.Collection,
    list,
    tuple,
    set,
    frozenset,
}


@attrs.frozen
class Parameter:
    """One keyword argument of a facade method: name, type hint, required or default."""

    name: str
    hint: Any
    required: bool
    default: Any = None


def _hints(owner: Any) -> dict[str, Any]:
    """Resolved type hints; an annotation that cannot be resolved counts as text."""
    try:
        return typing.get_type_hints(owner)
    except Exception:  # a name imported only under TYPE_CHECKING, for instance
        namespace = getattr(owner, "__globals__", None) or vars(inspect.getmodule(owner) or object)
        resolved: dict[str, Any] = {}
        for name, annotation in getattr(owner, "__annotations__", {}).items():
            if not isinstance(annotation, str):
                resolved[name] = annotation
                continue
            try:
                resolved[name] = eval(annotation, dict(namespace))  # noqa: S307 - our own annotations
            except Exception:
                resolved[name] = str
        return resolved


def method_parameters(function: Callable[..., Any]) -> list[Parameter]:
    """The parameters of a facade prepare function (without ``self``), with resolved hints."""
    hints = _hints(function)
    params: list[Parameter] = []
    for index, param in enumerate(inspect.signature(function).parameters.values()):
        if index == 0 or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        required = param.default is inspect.Parameter.empty
        params.append(
            Parameter(
                name=param.name,
                hint=hints.get(param.name, str),
                required=required,
                default=None if required else param.default,
            )
        )
    return params


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["ssin=…", "history=true"]`` → a dict; a repeated or malformed item is a usage error."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError("--param expects name=value (one per --param)")
        if name in values:
            raise UsageError(f"--param {name} is given twice")
        values[name] = value
    return values


def _strip_none(hint: Any) -> tuple[list[Any], bool]:
    if get_origin(hint) in (Union, types.UnionType):
        members = list(get_args(hint))
        optional = type(None) in members
        return [m for m in members if m is not type(None)], optional
    return [hint], hint is type(None)


def _priority(hint: Any) -> int:
    if get_origin(hint) is Literal or (isinstance(hint, type) and issubclass(hint, Enum)):
        return 0
    if hint in (dt.date, dt.datetime):
        return 1
    if hint is bool:
        return 2
    if hint is int:
        return 3
    if hint is float:
        return 4
    if hint is str:
        return 9  # the fallback: the facade validates free text itself
    return 5


def _convert_one(text: str, hint: Any) -> Any:
    origin = get_origin(hint)
    if hint is Any or hint is object or hint is str:
        return text
    if origin is Literal:
        choices = get_args(hint)
        for choice in choices:
            if text == str(choice) or text.lower() == str(choice).lower():
                return choice
        raise ValueError("must be one of " + ", ".join(str(c) for c in choices))
    if origin in _SEQUENCES:
        args = get_args(hint)
        item = args[0] if args else str
        parts = [part.strip() for part in text.split(",") if part.strip()]
        values = [convert(part, item) for part in parts]
        return tuple(values) if origin is tuple else values
    if hint is bool:
        lowered = text.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError("must be true or false")
    if hint is int:
        try:
            return int(text.strip())
        except ValueError:
            raise ValueError("must be an integer") from None
    if hint is float:
        try:
            return float(text.strip())
        except ValueError:
            raise ValueError("must be a number") from None
    if hint is dt.date:
        if not _DATE.match(text.strip()):
            raise ValueError("must be a date YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            raise ValueError("is not a possible date (YYYY-MM-DD)") from None
    if hint is dt.datetime:
        try:
            return dt.datetime.fromisoformat(text.strip())
        except ValueError:
            raise ValueError("must be a date-time YYYY-MM-DDTHH:MM:SS") from None
    if isinstance(hint, type) and issubclass(hint, Enum):
        wanted = text.strip()
        for member in hint:
            if wanted == str(member.value) or wanted.upper() == member.name.upper():
                return member
        allowed = ", ".join(f"{m.value} ({m.name.lower()})" for m in hint)
        raise ValueError(f"must be one of: {allowed}")
    raise ValueError(f"cannot be given on the command line (type {describe_type(hint)})")


def convert(text: str, hint: Any) -> Any:
    """*text* converted to *hint*; ``ValueError`` with a message naming no value."""
    members, optional = _strip_none(hint)
    if optional and text.strip().lower() in _NONE:
        return None
    if len(members) == 1:
        return _convert_one(text, members[0])
    problems: list[str] = []
    for member in sorted(members, key=_priority):
        try:
            return _convert_one(text, member)
        except ValueError as exc:
            problems.append(str(exc))
    raise ValueError(problems[0] if problems else "has no usable type")


def _record_class(hint: Any) -> type | None:
    members, _ = _strip_none(hint)
    for member in members:
        if isinstance(member, type) and attrs.has(member):
            return member
    return None


def _record_fields(cls: type) -> dict[str, Any]:
    hints = _hints(cls)
    return {f.name: hints.get(f.name, str) for f in attrs.fields(cls)}


def describe_type(hint: Any) -> str:
    """A short human description of a type hint for ``--describe`` and errors."""
    members, optional = _strip_none(hint)
    if len(members) > 1 or optional:
        text = " | ".join(describe_type(m) for m in members)
        return text + (" | none" if optional else "")
    hint = members[0]
    origin = get_origin(hint)
    if origin is Literal:
        return "|".join(str(c) for c in get_args(hint))
    if origin in _SEQUENCES:
        args = get_args(hint)
        return f"comma list of {describe_type(args[0]) if args else 'text'}"
    if hint is dt.date:
        return "date YYYY-MM-DD"
    if hint is str:
        return "text"
    if hint is bool:
        return "true|false"
    if isinstance(hint, type) and issubclass(hint, Enum):
        return f"{hint.__name__} (" + "|".join(str(m.value) for m in hint) + " or name)"
    if isinstance(hint, type):
        return hint.__name__
    return str(hint)


def expand_parameters(params: Sequence[Parameter]) -> list[tuple[str, str, bool]]:
    """(name, type description, required) for every name ``--param`` accepts."""
    rows: list[tuple[str, str, bool]] = []
    for param in params:
        record = _record_class(param.hint)
        if record is None:
            rows.append((param.name, describe_type(param.hint), param.required))
            continue
        for field, hint in _record_fields(record).items():
            rows.append((f"{param.name}.{field}", describe_type(hint), False))
    return rows


def bind_params(
    params: Sequence[Parameter], given: Mapping[str, str], *, where: str
) -> dict[str, Any]:
    """Keyword arguments for the facade method from the ``--param`` values."""
    by_name = {p.name: p for p in params}
    accepted = ", ".join(name for name, _, _ in expand_parameters(params))
    plain: dict[str, str] = {}
    grouped: dict[str, dict[str, str]] = {}
    for name, value in given.items():
        head, dot, tail = name.partition(".")
        if head not in by_name:
            raise UsageError(
                f"--param {name}: {where} has no such parameter (accepted: {accepted})"
            )
        if dot:
            grouped.setdefault(head, {})[tail] = value
        else:
            plain[name] = value

    kwargs: dict[str, Any] = {}
    for name, text in plain.items():
        param = by_name[name]
        if _record_class(param.hint) is not None:
            raise UsageError(
                f"--param {name}: give its parts as {name}.FIELD=value (accepted: {accepted})"
            )
        try:
            kwargs[name] = convert(text, param.hint)
        except ValueError as exc:
            raise UsageError(f"--param {name} {exc}") from None

    for name, parts in grouped.items():
        record = _record_class(by_name[name].hint)
        if record is None:
            raise UsageError(f"--param {name} has no parts: give {name}=value")
        fields = _record_fields(record)
        values: dict[str, Any] = {}
        for field, text in parts.items():
            if field not in fields:
                raise UsageError(f"--param {name}.{field}: no such part (accepted: {accepted})")
            try:
                values[field] = convert(text, fields[field])
            except ValueError as exc:
                raise UsageError(f"--param {name}.{field} {exc}") from None
        kwargs[name] = record(**values)

    missing = [p.name for p in params if p.required and p.name not in kwargs]
    if missing:
        raise UsageError(
            f"{where} needs --param "
            + ", ".join(f"{m}=…" for m in missing)
            + f" (accepted: {accepted})"
        )
    return kwargs
