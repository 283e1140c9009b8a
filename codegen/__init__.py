"""Code generator of ``cbss_sdk.models``: the project's XSD files in, Python dataclasses out.

Each unit of ``codegen/units.toml`` is one pinned xsdata run producing one subpackage of
``cbss_sdk.models``.  Run ``python -m codegen --help`` from the repository root; see
``codegen/README.md`` and ``docs/codegen.md``.
"""

from __future__ import annotations

from pathlib import Path

from ._config import XSDATA_VERSION, build_config_xml
from ._errors import CodegenError
from ._pipeline import (
    check_models,
    check_vendor,
    generate_models,
    generate_unit,
    generate_vendor,
    render_models,
    render_vendor,
    select_units,
)
from ._schemas import SchemaSet, collect_schemas
from ._tree import Difference
from ._units import MODELS_PACKAGE, Unit, load_units, parse_units

__all__ = [
    "DEFAULT_MODELS_ROOT",
    "DEFAULT_UNITS_FILE",
    "DEFAULT_XSD_ROOT",
    "MODELS_PACKAGE",
    "REPO_ROOT",
    "XSDATA_VERSION",
    "CodegenError",
    "Difference",
    "SchemaSet",
    "Unit",
    "build_config_xml",
    "check_models",
    "check_vendor",
    "collect_schemas",
    "generate_models",
    "generate_unit",
    "generate_vendor",
    "load_units",
    "parse_units",
    "render_models",
    "render_vendor",
    "select_units",
]

#: The repository this generator lives in, and its default inputs and output.
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_UNITS_FILE = REPO_ROOT / "codegen" / "units.toml"
DEFAULT_XSD_ROOT = REPO_ROOT / "xsd"
DEFAULT_MODELS_ROOT = REPO_ROOT / "src" / "cbss_sdk" / "models"
