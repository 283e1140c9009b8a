"""The pinned xsdata configuration, the single place where generator options are chosen.

Every unit, and the vendor path, is generated with exactly these options; only the target
package changes.  The configuration is built with xsdata's own configuration model, so an
option that the installed xsdata does not know fails loudly instead of being ignored, and it is
written as an ``.xsdata.xml`` file that the ``xsdata generate --config`` subprocess reads.

Options xsdata 26 no longer exposes because they became its only behaviour: ``kw_only=True``
on every dataclass, ``from __future__ import annotations`` in every module and ``X | None``
unions (ruff's pyupgrade rules for a py310 target rewrite ``Optional``).
"""

from __future__ import annotations

import io
from importlib import metadata

from xsdata.models.config import (
    CompoundFields,
    DocstringStyle,
    GeneratorConfig,
    NameCase,
    NameConvention,
    OutputFormat,
    StructureStyle,
)

from ._errors import CodegenError

__all__ = ["XSDATA_VERSION", "build_config_xml", "check_xsdata_version"]

#: The xsdata release the committed models were generated with.  Generated code changes between
#: xsdata releases, so ``--check`` is only meaningful with this exact version installed.
XSDATA_VERSION = "26.10"

#: Line length handed to ruff when xsdata formats the generated code (the project's).
MAX_LINE_LENGTH = 100


def check_xsdata_version() -> str:
    """Return the installed xsdata version, or raise when it is not the pinned one."""
    try:
        installed = metadata.version("xsdata")
    except metadata.PackageNotFoundError as exc:
        raise CodegenError(
            f"xsdata is not installed; install the codegen extra (xsdata[cli,lxml]=={XSDATA_VERSION})"
        ) from exc
    if installed != XSDATA_VERSION:
        raise CodegenError(
            f"xsdata {installed} is installed but the models are generated with xsdata "
            f"{XSDATA_VERSION}; install xsdata[cli,lxml]=={XSDATA_VERSION} (a different release "
            "writes different code, so --check would report every file as stale)"
        )
    return installed


def build_config(package: str) -> GeneratorConfig:
    """The pinned generator configuration, targeting ``package``."""
    config = GeneratorConfig.create()
    output = config.output
    output.package = package
    output.format = OutputFormat(
        value="dataclasses",
        repr=True,
        eq=True,
        order=False,
        unsafe_hash=False,
        frozen=False,
        slots=True,
    )
    # One subpackage per target namespace: the modules mirror the XML namespaces, which is how
    # the CBSS documentation names things, and xsdata resolves them without import cycles.
    output.structure_style = StructureStyle.NAMESPACES
    output.docstring_style = DocstringStyle.GOOGLE
    output.relative_imports = True
    output.compound_fields = CompoundFields(enabled=False)
    output.wrapper_fields = False
    output.unnest_classes = False
    output.ignore_patterns = False
    output.include_header = False
    output.generic_collections = False
    output.max_line_length = MAX_LINE_LENGTH
    conventions = config.conventions
    # mixedPascalCase keeps acronyms: CBSSFaultType, RetrieveTIGroupsRequestType, SSDNRequest.
    conventions.class_name = NameConvention(NameCase.MIXED_PASCAL, "type")
    conventions.field_name = NameConvention(NameCase.SNAKE, "value")
    conventions.constant_name = NameConvention(NameCase.SCREAMING_SNAKE, "value")
    conventions.module_name = NameConvention(NameCase.SNAKE, "mod")
    conventions.package_name = NameConvention(NameCase.SNAKE, "pkg")
    return config


def build_config_xml(package: str) -> str:
    """The pinned configuration as the text of an ``.xsdata.xml`` file."""
    buffer = io.StringIO()
    GeneratorConfig.write(buffer, build_config(package))
    return buffer.getvalue()
