"""The service catalog as a Markdown table, for the documentation site.

The documentation's catalog page is generated from :mod:`cbss_sdk.catalog` at
build time (an mkdocs hook calls :func:`markdown_table`), so the published
list of services can never drift from what the SDK really knows.
"""

from __future__ import annotations

from . import catalog

__all__ = ["markdown_table"]

_GROUP_TITLES = {
    "technical": "Technical",
    "registers": "Registers",
    "social-databases": "Social databases",
    "spp-is": "Exchanges with the SPP IS",
    "mediprima": "Mediprima",
    "flemish": "Flemish services",
    "notifications": "Notifications pushed by CBSS",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table() -> str:
    """One table per service group: service, CBSS name, protocol, version, operations, provenance, status."""
    parts: list[str] = []
    for group, title in _GROUP_TITLES.items():
        services = [s for s in catalog.SERVICES if s.group == group]
        if not services:
            continue
        parts.append(f"## {title}\n")
        parts.append(
            "| service | CBSS name | protocol | version | operations | provenance | status |"
        )
        parts.append("|---|---|---|---|---|---|---|")
        for spec in services:
            ops = ", ".join(
                f"`{op.name}`" + ("" if op.implemented else " (planned)") for op in spec.operations
            )
            name = f"[{spec.key}]({spec.docs})" if spec.docs else spec.key
            status = "implemented" if spec.implemented else "planned"
            parts.append(
                f"| {name} | `{_cell(spec.cbss_name)}` | {spec.protocol.upper()} | {spec.version} "
                f"| {ops} | {spec.provenance} | {status} |"
            )
        parts.append("")
    return "\n".join(parts)
