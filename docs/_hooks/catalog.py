"""mkdocs hook: replace the catalog placeholder with the table generated from cbss_sdk.catalog."""

from __future__ import annotations

from typing import Any

from cbss_sdk._catalog_table import markdown_table

PLACEHOLDER = "<!-- catalog-table -->"


def on_page_markdown(markdown: str, **_: Any) -> str:
    if PLACEHOLDER in markdown:
        return markdown.replace(PLACEHOLDER, markdown_table())
    return markdown
