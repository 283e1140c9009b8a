"""The simulator's service handlers: importing this package registers all of them.

One module per CBSS service holds the reply builders (plain functions from a
:class:`~cbss_sdk.testing.Person` to a generated reply model, testable on
their own) and the thin handlers registered with
:func:`~cbss_sdk.testing._registry.handler`.  Every public module of this
package is imported here, in name order, so a new service module registers
its handlers by existing; modules starting with ``_`` hold shared helpers.
The engine imports this package through ``load_default_handlers()``.
"""

from __future__ import annotations

import importlib
import pkgutil

__all__ = ["SERVICE_MODULES"]

#: The service modules imported (and so registered), in import order.
SERVICE_MODULES: tuple[str, ...] = tuple(
    sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))
)

for _name in SERVICE_MODULES:
    importlib.import_module(f"{__name__}.{_name}")
