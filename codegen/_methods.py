"""Explicit ``__init__``, ``__repr__`` and ``__eq__`` for the generated dataclasses.

``@dataclass`` writes these three methods as source text and ``exec``s them for every class at
every import: for the ~300 classes of the National Register module that is most of its import
time.  This pass writes the same methods into the generated source once, at generation time,
and turns the decorator into ``@dataclass(slots=True, kw_only=True, init=False, repr=False,
eq=False)``: the decorator still collects the fields, adds ``__slots__``, ``__match_args__``
and ``__dataclass_fields__`` exactly as before (xsdata reads them), and the methods behave as
the ones it would have written:

* ``__init__`` takes the same keyword-only parameters with the same annotations and defaults;
  a field with a ``default_factory`` defaults to a module-level sentinel (shown ``<factory>``,
  like dataclass's) so an explicit argument, even ``None`` or ``[]``, is stored as given and a
  fresh factory value is made per instance;
* ``__repr__`` returns ``QualName(field=value!r, ...)`` behind ``reprlib.recursive_repr`` (the
  same guard: ``...`` for an instance already being represented in this thread);
* ``__eq__`` compares the tuples of fields of two instances of the very same class, and
  returns ``NotImplemented`` otherwise; defining it leaves ``__hash__`` ``None``, as before.

Every class is also given a docstring when xsdata wrote none: the text dataclass would have
computed with ``inspect.signature`` at import (``Name(*, field: 'type' = default)``), which is
the other slow step of the decorator.

The pass works on the syntax tree of every module of one generated package.  Fields inherited
from a base class are found by resolving the base through the package's imports.  A class is
left to the decorator, unchanged, when the pass cannot write provably identical methods: an
unknown decorator or base, several bases, a field option other than ``default``/
``default_factory``/``metadata``, a default that is not a literal (evaluated a second time it
could be another object, and its repr is not known before import), a factory that is not a
builtin name or a lambda, a field name that would be mangled or would shadow a name the method
body needs, an inherited annotation whose names mean something else in the subclass's module.
Names an inherited annotation needs are imported into the subclass's module, so type checkers
see the base's types.  The tests check that no committed class falls back.
"""

from __future__ import annotations

import ast
import builtins
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from ._errors import CodegenError

__all__ = ["DecoratedClass", "add_dataclass_methods", "scan_package"]

#: Name of the module-level sentinel that stands for "use the default_factory".
FACTORY_SENTINEL = "_FACTORY"
_FACTORY_CLASS = "_Factory"
_REPR_GUARD = "recursive_repr"
#: Decorator keywords xsdata writes, and those this pass adds.
_XSDATA_KEYWORDS = (("slots", True), ("kw_only", True))
_ADDED_KEYWORDS = (("init", False), ("repr", False), ("eq", False))
_FIELD_OPTIONS = {"default", "default_factory", "metadata"}
_DATACLASS_MARKERS = ("ClassVar", "InitVar", "KW_ONLY")

#: The pipeline runs units in threads; CPython 3.11's ``ast.parse`` is not safe to run in two
#: threads at once ("AST constructor recursion depth mismatch"), so the pass runs one at a time
#: (it holds the GIL anyway: nothing is lost).
_AST_LOCK = threading.Lock()

_Kind = Literal["required", "default", "factory"]
#: What a top-level name means: ("class", module, name), ("external", (module,), name),
#: ("builtin", (), name), ("value", module, name), ("unbound", module, name) or
#: ("unknown", module, name) (an import the pass cannot follow).
_Target = tuple[str, tuple[str, ...], str]


class _Fallback(Exception):
    """Raised while analysing a class the pass leaves to the decorator; carries the reason."""


@dataclass(frozen=True)
class _Field:
    name: str
    annotation: ast.expr
    kind: _Kind
    value: ast.expr | None
    owner: _Class


@dataclass(eq=False)
class _Class:
    module: tuple[str, ...]
    node: ast.ClassDef
    parent: _Class | None
    qualname: str
    decorated: bool
    depth: int
    problem: str | None = None
    fields: list[_Field] | None = None
    resolving: bool = False


@dataclass
class _Module:
    key: tuple[str, ...]
    is_package: bool
    text: str
    tree: ast.Module
    dataclass_names: set[str] = field(default_factory=set)
    field_names: set[str] = field(default_factory=set)
    classes: list[_Class] = field(default_factory=list)


@dataclass(frozen=True)
class DecoratedClass:
    """What the pass decided for one ``@dataclass`` class of a package."""

    module: str
    qualname: str
    transformed: bool
    reason: str | None


# --- reading the package ------------------------------------------------------------------


def _module_key(relative: str) -> tuple[tuple[str, ...], bool]:
    parts = tuple(relative[: -len(".py")].split("/"))
    if parts[-1] == "__init__":
        return parts[:-1], True
    return parts, False


def _imported_names(tree: ast.Module, module: str, wanted: str) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == module:
            names.update(a.asname or a.name for a in node.names if a.name == wanted)
    return names


def _is_xsdata_decorator(node: ast.expr, dataclass_names: set[str]) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return False
    if node.func.id not in dataclass_names or node.args:
        return False
    keywords = tuple(
        (k.arg, k.value.value) if isinstance(k.value, ast.Constant) else (k.arg, None)
        for k in node.keywords
    )
    return keywords == _XSDATA_KEYWORDS


def _collect_classes(module: _Module) -> None:
    def walk(body: list[ast.stmt], parent: _Class | None) -> None:
        for node in body:
            if not isinstance(node, ast.ClassDef):
                continue
            qualname = f"{parent.qualname}.{node.name}" if parent else node.name
            decorated = len(node.decorator_list) == 1 and _is_xsdata_decorator(
                node.decorator_list[0], module.dataclass_names
            )
            info = _Class(
                module=module.key,
                node=node,
                parent=parent,
                qualname=qualname,
                decorated=decorated,
                depth=0 if parent is None else parent.depth + 1,
            )
            uses_dataclass = any(
                isinstance(n, ast.Name) and n.id in module.dataclass_names
                for d in node.decorator_list
                for n in ast.walk(d)
            )
            if uses_dataclass and not decorated:
                info.problem = "a dataclass decorator other than xsdata's"
            module.classes.append(info)
            walk(node.body, info)

    walk(module.tree.body, None)


class _Package:
    """The generated modules of one package and the classes they define."""

    def __init__(self, tree: Mapping[str, str]) -> None:
        self.modules: dict[tuple[str, ...], _Module] = {}
        for relative, text in sorted(tree.items()):
            if not relative.endswith(".py"):
                continue
            key, is_package = _module_key(relative)
            try:
                parsed = ast.parse(text, filename=relative)
            except SyntaxError as exc:
                raise CodegenError(f"generated module {relative} does not parse: {exc}") from exc
            module = _Module(key=key, is_package=is_package, text=text, tree=parsed)
            module.dataclass_names = _imported_names(parsed, "dataclasses", "dataclass")
            module.field_names = _imported_names(parsed, "dataclasses", "field")
            _collect_classes(module)
            self.modules[key] = module
        self._by_node = {id(c.node): c for m in self.modules.values() for c in m.classes}

    def classes(self) -> Iterator[_Class]:
        for module in self.modules.values():
            yield from module.classes

    # --- name resolution (bases only) ---------------------------------------------------

    def _import_target(self, module: _Module, node: ast.ImportFrom) -> tuple[str, ...] | None:
        if node.level == 0:
            return None  # absolute imports leave the package (xsdata writes relative ones)
        package = module.key if module.is_package else module.key[:-1]
        if node.level - 1 > len(package):
            return None
        base = package[: len(package) - (node.level - 1)]
        return base + tuple(node.module.split(".")) if node.module else base

    def resolve(
        self, key: tuple[str, ...], name: str, seen: frozenset[object] = frozenset()
    ) -> _Target:
        """What ``name`` means at the top level of module ``key`` once it has run."""
        module = self.modules.get(key)
        if module is None or (key, name) in seen:
            return ("unknown", key, name)
        seen = seen | {(key, name)}
        found: list[_Target] = []
        for node in module.tree.body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                found.append(("class", key, name))
            elif isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                found.append(("unknown", key, name))  # a star import may bind anything
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if (alias.asname or alias.name) != name:
                        continue
                    target = self._import_target(module, node)
                    if node.level == 0 and node.module:
                        found.append(("external", (node.module,), alias.name))
                    elif target is None:
                        found.append(("unknown", key, name))
                    else:
                        found.append(self.resolve(target, alias.name, seen))
            elif name in _bound_names(node):
                found.append(("value", key, name))
        if len(found) > 1:
            return ("unknown", key, name)  # bound twice: which one depends on the position
        if found:
            return found[0]
        return ("builtin", (), name) if hasattr(builtins, name) else ("unbound", key, name)

    def class_of(self, target: _Target) -> _Class | None:
        if target[0] != "class":
            return None
        module = self.modules[target[1]]
        return next(c for c in module.classes if c.parent is None and c.qualname == target[2])

    def _lookup(self, cls: _Class, expr: ast.expr) -> _Class | None:
        """Resolve a base class expression of ``cls`` the way the interpreter would."""
        if isinstance(expr, ast.Attribute):
            owner = self._lookup(cls, expr.value)
            if owner is None:
                return None
            inner = [
                self._by_node[id(n)]
                for n in owner.node.body
                if isinstance(n, ast.ClassDef) and n.name == expr.attr
            ]
            return inner[-1] if inner else None
        if not isinstance(expr, ast.Name):
            return None
        if cls.parent is not None:  # a class body sees the enclosing class body, then globals
            earlier: _Class | None = None
            shadowed = False
            for node in cls.parent.node.body:
                if node is cls.node:
                    break
                if isinstance(node, ast.ClassDef) and node.name == expr.id:
                    earlier, shadowed = self._by_node[id(node)], False
                elif expr.id in _bound_names(node):
                    earlier, shadowed = None, True
            if earlier is not None:
                return earlier
            if shadowed:
                return None
        return self.class_of(self.resolve(cls.module, expr.id))

    # --- fields -------------------------------------------------------------------------

    def fields(self, cls: _Class) -> list[_Field]:
        """Every field of ``cls`` in dataclass order (bases first); raises ``_Fallback``."""
        if cls.fields is not None:
            return cls.fields
        if cls.problem is not None:
            raise _Fallback(cls.problem)
        if not cls.decorated:
            raise _Fallback("not one of xsdata's dataclasses")
        if cls.resolving:
            raise _Fallback("circular inheritance")
        cls.resolving = True
        try:
            ordered: dict[str, _Field] = {}
            if len(cls.node.bases) > 1 or cls.node.keywords:
                raise _Fallback("several bases or class keywords")
            for base_expr in cls.node.bases:
                base = self._lookup(cls, base_expr)
                if base is None:
                    raise _Fallback(f"base {ast.unparse(base_expr)} not found in the package")
                try:
                    inherited = self.fields(base)
                except _Fallback as exc:
                    raise _Fallback(f"base {base.qualname}: {exc}") from None
                ordered.update((f.name, f) for f in inherited)
            module = self.modules[cls.module]
            for own in _own_fields(cls, module.field_names):
                ordered[own.name] = own  # a redefinition keeps the inherited position
            cls.fields = list(ordered.values())
            return cls.fields
        except _Fallback as exc:
            cls.problem = str(exc)
            raise
        finally:
            cls.resolving = False


def _bound_names(node: ast.stmt) -> set[str]:
    """The names a statement binds in the scope it runs in (nested blocks included)."""
    names: set[str] = set()
    for inner in _scope_nodes(node):
        if isinstance(inner, ast.Import | ast.ImportFrom):
            names.update(a.asname or a.name.split(".")[0] for a in inner.names)
        elif isinstance(inner, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(inner.name)
        elif isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Store | ast.Del):
            names.add(inner.id)
        elif isinstance(inner, ast.MatchAs | ast.MatchStar | ast.ExceptHandler) and inner.name:
            names.add(inner.name)
    return names


def _scope_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and what it contains, without entering nested scopes (their names are theirs)."""
    yield node
    if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        return
    if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
        return
    for child in ast.iter_child_nodes(node):
        yield from _scope_nodes(child)


def _own_fields(cls: _Class, field_names: set[str]) -> list[_Field]:
    result: list[_Field] = []
    for node in cls.node.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            raise _Fallback(f"defines {node.name} itself")
        if isinstance(node, ast.Assign):
            bound = _bound_names(node)
            if bound & {"__init__", "__repr__", "__eq__", "__hash__", "__slots__", "__doc__"}:
                raise _Fallback("assigns a special attribute")
            continue
        if isinstance(node, ast.ClassDef | ast.Pass | ast.Expr):
            continue  # nested classes, docstrings
        if not isinstance(node, ast.AnnAssign):
            raise _Fallback(f"a {type(node).__name__} statement in the class body")
        if not isinstance(node.target, ast.Name) or not node.simple:
            raise _Fallback("an annotated target that is not a plain name")
        name = node.target.id
        annotation_text = ast.unparse(node.annotation)
        if any(marker in annotation_text for marker in _DATACLASS_MARKERS):
            raise _Fallback(f"field {name}: ClassVar, InitVar or KW_ONLY")
        if name.startswith("__") and not name.endswith("__"):
            raise _Fallback(f"field {name}: would be name-mangled in a method")
        kind: _Kind = "required"
        value: ast.expr | None = None
        if node.value is not None:
            call = node.value
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id in field_names
            ):
                if call.args:
                    raise _Fallback(f"field {name}: positional field() arguments")
                options = {k.arg: k.value for k in call.keywords}
                unknown = set(options) - _FIELD_OPTIONS
                if None in options or unknown:
                    raise _Fallback(f"field {name}: field() options {sorted(map(str, unknown))}")
                if "default" in options and "default_factory" in options:
                    raise _Fallback(f"field {name}: both default and default_factory")
                if "default" in options:
                    kind, value = "default", options["default"]
                elif "default_factory" in options:
                    kind, value = "factory", options["default_factory"]
            else:
                kind, value = "default", call
        result.append(_Field(name, node.annotation, kind, value, cls))
    return result


# --- checking that copied expressions mean the same thing --------------------------------


def _is_literal(expr: ast.expr) -> bool:
    try:
        value = ast.literal_eval(expr)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return _immutable(value)


def _immutable(value: object) -> bool:
    if value is None or isinstance(value, bool | int | float | complex | str | bytes):
        return True
    if isinstance(value, tuple | frozenset):
        return all(_immutable(v) for v in value)
    return False


def _free_names(expr: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}


def _module_bound(module: _Module) -> set[str]:
    names: set[str] = set()
    for node in module.tree.body:
        names |= _bound_names(node)
    return names


def _bound_in_classes(cls: _Class | None, name: str) -> bool:
    while cls is not None:
        if any(name in _bound_names(node) for node in cls.node.body):
            return True
        cls = cls.parent
    return False


def _relative_import(module: _Module, target: tuple[str, ...]) -> str:
    package = module.key if module.is_package else module.key[:-1]
    common = 0
    while common < min(len(package), len(target)) and package[common] == target[common]:
        common += 1
    return "." * (len(package) - common + 1) + ".".join(target[common:])


def _annotation_imports(package: _Package, cls: _Class, item: _Field) -> dict[str, str]:
    """Imports that make an inherited field's annotation mean, in ``cls``'s module, what it
    means in the module of the class that declared it (for type checkers: nothing evaluates
    these annotations at run time)."""
    if item.owner is cls:
        return {}
    module = package.modules[cls.module]
    imports: dict[str, str] = {}
    for name in sorted(_free_names(item.annotation)):
        if _bound_in_classes(item.owner.parent, name) or _bound_in_classes(cls, name):
            raise _Fallback(f"field {item.name}: annotation name {name} is bound in a class body")
        origin = package.resolve(item.owner.module, name)
        here = package.resolve(cls.module, name)
        if here == origin:
            continue
        if here[0] != "unbound":
            raise _Fallback(f"field {item.name}: {name} means something else in this module")
        kind, where, original = origin
        alias = "" if original == name else f" as {name}"
        if kind == "class":
            imports[name] = f"from {_relative_import(module, where)} import {original}{alias}"
        elif kind == "external":
            imports[name] = f"from {where[0]} import {original}{alias}"
        else:
            raise _Fallback(f"field {item.name}: cannot import {name} for its annotation")
    return imports


def _check_portable(
    package: _Package, cls: _Class, fields: list[_Field], module_names: set[str]
) -> tuple[str, dict[str, str]]:
    """Check every copied annotation, default and factory.

    Return the name ``self`` takes in ``__init__`` and the imports the module needs.
    """
    params = {f.name for f in fields}
    self_name = "__dataclass_self__" if "self" in params else "self"
    body_names = {self_name, FACTORY_SENTINEL}
    imports: dict[str, str] = {}
    for item in fields:
        for name, statement in _annotation_imports(package, cls, item).items():
            if imports.setdefault(name, statement) != statement:
                raise _Fallback(f"annotations need two different {name}")
        value = item.value
        if value is None:
            continue
        if item.kind == "default":
            # evaluated again as __init__'s default: only a literal is surely the same value,
            # and only a literal's repr (for the docstring) is known before import
            if not _is_literal(value):
                raise _Fallback(f"field {item.name}: default {ast.unparse(value)} is not a literal")
            continue
        # factory: called in __init__'s body, where globals and the parameters are visible
        if isinstance(value, ast.Name):
            # field() read the name in the declaring class body, __init__ reads it in globals
            builtin = hasattr(builtins, value.id) and value.id not in module_names
            if not builtin or any(value.id in _bound_names(n) for n in item.owner.node.body):
                raise _Fallback(f"field {item.name}: factory {value.id} is not a builtin")
            body_names.add(value.id)
        elif isinstance(value, ast.Lambda) and not _has_arguments(value.args):
            if item.owner.module != cls.module:
                raise _Fallback(f"field {item.name}: lambda factory from another module")
            body_names |= _free_names(value.body)
        else:
            raise _Fallback(f"field {item.name}: unsupported default_factory")
    clash = sorted(params & body_names)
    if clash:
        raise _Fallback(f"fields {clash} shadow names __init__ needs")
    return self_name, imports


def _has_arguments(arguments: ast.arguments) -> bool:
    return bool(
        arguments.posonlyargs
        or arguments.args
        or arguments.vararg
        or arguments.kwonlyargs
        or arguments.kwarg
    )


# --- writing the methods -------------------------------------------------------------------


def _name(identifier: str) -> ast.Name:
    return ast.Name(id=identifier, ctx=ast.Load())


def _attribute(owner: str, name: str) -> ast.Attribute:
    return ast.Attribute(value=_name(owner), attr=name, ctx=ast.Load())


def _init(fields: list[_Field], self_name: str) -> ast.FunctionDef:
    kwonly: list[ast.arg] = []
    defaults: list[ast.expr | None] = []
    body: list[ast.stmt] = []
    for item in fields:
        kwonly.append(ast.arg(arg=item.name, annotation=item.annotation))
        value: ast.expr = _name(item.name)
        if item.kind == "required":
            defaults.append(None)
        elif item.kind == "default":
            assert item.value is not None
            defaults.append(item.value)
        else:
            assert item.value is not None
            defaults.append(_name(FACTORY_SENTINEL))
            value = ast.IfExp(
                test=ast.Compare(
                    left=_name(item.name), ops=[ast.Is()], comparators=[_name(FACTORY_SENTINEL)]
                ),
                body=ast.Call(func=item.value, args=[], keywords=[]),
                orelse=_name(item.name),
            )
        target = ast.Attribute(value=_name(self_name), attr=item.name, ctx=ast.Store())
        body.append(ast.Assign(targets=[target], value=value, lineno=0))
    return ast.FunctionDef(
        name="__init__",
        args=ast.arguments(
            posonlyargs=[],
            args=[ast.arg(arg=self_name)],
            kwonlyargs=kwonly,
            kw_defaults=defaults,
            defaults=[],
        ),
        body=body or [ast.Pass()],
        decorator_list=[],
        returns=ast.Constant(value=None),
        lineno=0,
    )


def _repr(fields: list[_Field]) -> ast.FunctionDef:
    qualname = ast.Attribute(
        value=_attribute("self", "__class__"), attr="__qualname__", ctx=ast.Load()
    )
    parts: list[ast.expr] = [ast.Constant(value="(")]
    for index, item in enumerate(fields):
        prefix = ", " if index else ""
        parts.append(ast.Constant(value=f"{prefix}{item.name}="))
        parts.append(ast.FormattedValue(value=_attribute("self", item.name), conversion=ord("r")))
    parts.append(ast.Constant(value=")"))
    rest: ast.expr = ast.JoinedStr(values=parts) if fields else ast.Constant(value="()")
    guard = ast.Call(func=_name(_REPR_GUARD), args=[], keywords=[])
    return ast.FunctionDef(
        name="__repr__",
        args=ast.arguments(
            posonlyargs=[], args=[ast.arg(arg="self")], kwonlyargs=[], kw_defaults=[], defaults=[]
        ),
        body=[ast.Return(value=ast.BinOp(left=qualname, op=ast.Add(), right=rest))],
        decorator_list=[guard],
        returns=_name("str"),
        lineno=0,
    )


def _eq(fields: list[_Field]) -> ast.FunctionDef:
    def row(owner: str) -> ast.Tuple:
        return ast.Tuple(elts=[_attribute(owner, f.name) for f in fields], ctx=ast.Load())

    same_class = ast.Compare(
        left=_attribute("other", "__class__"),
        ops=[ast.Is()],
        comparators=[_attribute("self", "__class__")],
    )
    compare = ast.Compare(left=row("self"), ops=[ast.Eq()], comparators=[row("other")])
    return ast.FunctionDef(
        name="__eq__",
        args=ast.arguments(
            posonlyargs=[],
            args=[ast.arg(arg="self"), ast.arg(arg="other", annotation=_name("object"))],
            kwonlyargs=[],
            kw_defaults=[],
            defaults=[],
        ),
        body=[
            ast.If(test=same_class, body=[ast.Return(value=compare)], orelse=[]),
            ast.Return(value=_name("NotImplemented")),
        ],
        decorator_list=[],
        returns=_name("bool"),
        lineno=0,
    )


def _signature_text(fields: list[_Field]) -> str:
    """``str(inspect.signature(cls))`` of the dataclass, as its ``__doc__`` shows it."""
    params: list[str] = []
    for item in fields:
        text = f"{item.name}: {ast.unparse(item.annotation)!r}"
        if item.kind == "default":
            assert item.value is not None
            text += f" = {_default_repr(item.value)}"
        elif item.kind == "factory":
            text += " = <factory>"
        params.append(text)
    return f"(*, {', '.join(params)})" if params else "()"


def _default_repr(expr: ast.expr) -> str:
    return repr(ast.literal_eval(expr))  # a literal: checked by _check_portable


def _indent(text: str, prefix: str) -> str:
    return "".join(prefix + line if line.strip() else line for line in text.splitlines(True))


@dataclass
class _Edit:
    start: int
    end: int
    text: str
    depth: int = 0


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for line in text.splitlines(True):
        offsets.append(offsets[-1] + len(line))
    return offsets


def _offset(offsets: list[int], text: str, lineno: int, col: int) -> int:
    line_start = offsets[lineno - 1]
    line = text[line_start : offsets[lineno]]
    return line_start + len(line.encode("utf-8")[:col].decode("utf-8"))


def _class_edits(
    cls: _Class, fields: list[_Field], self_name: str, module: _Module, offsets: list[int]
) -> list[_Edit]:
    node = cls.node
    decorator = node.decorator_list[0]
    assert isinstance(decorator, ast.Call)
    new_decorator = ast.Call(
        func=decorator.func,
        args=[],
        keywords=[
            ast.keyword(arg=k, value=ast.Constant(value=v))
            for k, v in (*_XSDATA_KEYWORDS, *_ADDED_KEYWORDS)
        ],
    )
    assert decorator.end_lineno is not None
    assert decorator.end_col_offset is not None
    edits = [
        _Edit(
            _offset(offsets, module.text, decorator.lineno, decorator.col_offset),
            _offset(offsets, module.text, decorator.end_lineno, decorator.end_col_offset),
            ast.unparse(new_decorator),
        )
    ]
    first = node.body[0]
    body_indent = " " * first.col_offset
    if ast.get_docstring(node, clean=False) is None:
        doc = _docstring(node.name + _signature_text(fields))
        # before the first statement, or before its decorators when it is a decorated class
        decorators = first.decorator_list if isinstance(first, ast.ClassDef) else []
        at_first = offsets[min([first.lineno, *(d.lineno for d in decorators)]) - 1]
        edits.append(_Edit(at_first, at_first, f"{body_indent}{doc}\n\n", depth=cls.depth))
    methods: list[str] = []
    for function in (_init(fields, self_name), _repr(fields), _eq(fields)):
        methods.append(ast.unparse(ast.fix_missing_locations(function)))
    assert node.end_lineno is not None
    at = offsets[node.end_lineno]
    block = "\n" + "\n\n".join(_indent(m, body_indent) + "\n" for m in methods)
    if not module.text[:at].endswith("\n"):
        block = "\n" + block
    edits.append(_Edit(at, at, block, depth=cls.depth))
    return edits


def _docstring(text: str) -> str:
    """``text`` as a docstring literal whose value is exactly ``text``."""
    if '"""' in text or text.endswith('"') or not text.isprintable():
        raise _Fallback("a signature that cannot be written as a docstring")
    prefix = "r" if "\\" in text else ""  # a raw literal keeps the backslashes of the reprs
    return f'{prefix}"""{text}"""'


def _apply(text: str, edits: list[_Edit]) -> str:
    # later offsets first; at one offset, outer classes before inner ones, so inner methods
    # end up first (right after the inner class's last line, inside the outer body)
    for edit in sorted(edits, key=lambda e: (-e.start, e.depth)):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def _module_header(module: _Module, imports: Mapping[str, str], sentinel: bool) -> list[_Edit]:
    """Add ``imports`` after ``from __future__`` and the factory sentinel before the classes."""
    tree, offsets = module.tree, _line_offsets(module.text)
    future = [
        n.end_lineno or n.lineno
        for n in tree.body
        if isinstance(n, ast.ImportFrom) and n.module == "__future__" and n.level == 0
    ]
    at = offsets[max(future)] if future else 0
    edits: list[_Edit] = []
    if imports:
        text = "".join(f"{imports[name]}\n" for name in sorted(imports))
        edits.append(_Edit(at, at, text))
    if sentinel:
        starts = [
            min([n.lineno, *(d.lineno for d in n.decorator_list)])
            for n in tree.body
            if isinstance(n, ast.ClassDef)
        ]
        where = offsets[min(starts) - 1]
        edits.append(_Edit(where, where, _SENTINEL_SOURCE))
    return edits


_SENTINEL_SOURCE = f'''

class {_FACTORY_CLASS}:
    """Default of a parameter whose field has a default_factory: a fresh value per instance."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<factory>"


{FACTORY_SENTINEL}: Any = {_FACTORY_CLASS}()

'''


# --- entry points ----------------------------------------------------------------------------


def _dotted(key: tuple[str, ...]) -> str:
    return ".".join(key) or "(package)"


def scan_package(tree: Mapping[str, str]) -> list[DecoratedClass]:
    """What the pass does to each ``@dataclass`` class of ``tree`` (``{path: source}``)."""
    with _AST_LOCK:
        package = _Package(tree)
        _plan(package)
    return [
        DecoratedClass(_dotted(c.module), c.qualname, c.problem is None, c.problem)
        for c in package.classes()
        if c.decorated or c.problem is not None
    ]


_HELPERS = {
    _REPR_GUARD: "from reprlib import recursive_repr",
    "Any": "from typing import Any",
}


def _plan_module(package: _Package, module: _Module) -> list[_Edit]:
    module_names = _module_bound(module)
    offsets = _line_offsets(module.text)
    edits: list[_Edit] = []
    imports: dict[str, str] = {}
    transformed: list[_Class] = []
    for cls in module.classes:
        if not cls.decorated:
            continue
        try:
            fields = package.fields(cls)
            self_name, needed = _check_portable(package, cls, fields, module_names)
            for name, statement in needed.items():
                if imports.get(name, statement) != statement:
                    raise _Fallback(f"annotations need another {name} than an earlier class")
            class_edits = _class_edits(cls, fields, self_name, module, offsets)
        except _Fallback as exc:
            cls.problem = str(exc)
            continue
        imports.update(needed)
        edits += class_edits
        transformed.append(cls)
    if not transformed:
        return []
    sentinel = any(f.kind == "factory" for c in transformed for f in c.fields or ())
    helpers = {_REPR_GUARD, "Any"} if sentinel else {_REPR_GUARD}
    problem = None
    for name in sorted(helpers):
        meaning = package.resolve(module.key, name)
        if meaning[0] == "unbound":
            imports.setdefault(name, _HELPERS[name])
        elif meaning != ("external", (_HELPERS[name].split()[1],), name):
            problem = f"the module binds {name} to something else"
        if imports.get(name, _HELPERS[name]) != _HELPERS[name]:
            problem = f"an annotation needs another {name}"
    if sentinel and {FACTORY_SENTINEL, _FACTORY_CLASS} & module_names:
        problem = f"the module already binds {FACTORY_SENTINEL} or {_FACTORY_CLASS}"
    if problem is not None:
        for cls in transformed:
            cls.problem = problem
        return []
    return edits + _module_header(module, imports, sentinel)


def _plan(package: _Package) -> dict[tuple[str, ...], list[_Edit]]:
    edits: dict[tuple[str, ...], list[_Edit]] = {}
    for module in package.modules.values():
        module_edits = _plan_module(package, module)
        if module_edits:
            edits[module.key] = module_edits
    return edits


def add_dataclass_methods(tree: Mapping[str, str]) -> dict[str, str]:
    """Return ``tree`` with explicit methods written into every class the pass can handle.

    ``tree`` maps POSIX paths relative to one generated package to module sources, as xsdata
    wrote them.  The result still needs ruff (imports are added unsorted, methods unformatted).
    """
    with _AST_LOCK:
        return _add_methods(tree)


def _add_methods(tree: Mapping[str, str]) -> dict[str, str]:
    package = _Package(tree)
    edits = _plan(package)
    result = dict(tree)
    for relative in tree:
        if not relative.endswith(".py"):
            continue
        key, _ = _module_key(relative)
        if key in edits:
            new_text = _apply(tree[relative], edits[key])
            try:
                ast.parse(new_text, filename=relative)
            except SyntaxError as exc:  # a bug of this pass: never write broken code
                raise CodegenError(f"explicit methods broke {relative}: {exc}") from exc
            result[relative] = new_text
    return result
