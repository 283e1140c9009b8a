"""TX25 replies for the benchmarks: the six official samples and long synthetic ones.

The official samples are RetrieveTIGroups **v1** replies; the SDK, xsdata and
zeep all bind the **v2** contract, so each sample is put in the v2 shape
(response element in the v2 namespace, ``legalContext`` added, ``status``
after ``searchInformation`` as the v2 schema orders them), as the
conformance tests do.  Synthetic replies of about 1 MB and 10 MB are made from
the largest sample by repeating its history entries (the repeated items of
each information type), which keeps them valid for the models.
"""

from __future__ import annotations

import math
from functools import cache

from lxml import etree

from ._reference import fixture

__all__ = ["SAMPLES", "TIG_V2", "sample_reply", "synthetic_reply"]

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
TIG_V1 = "http://kszbcss.fgov.be/intf/RetrieveTIGroupsService/v1"
TIG_V2 = "http://kszbcss.fgov.be/intf/RetrieveTIGroupsService/v2"

SAMPLES = [
    "demo_tx25_1.xml",
    "demo_tx25_2.xml",
    "demo_tx25_3.xml",
    "tx25_1107.xml",
    "tx25_1358.xml",
    "tx25_1373.xml",
]


def _v2_envelope(name: str) -> etree._Element:
    root = etree.parse(str(fixture(name))).getroot()
    payload = root.find(f"{{{SOAP_NS}}}Body/{{{TIG_V1}}}retrieveTIGroupsResponse")
    if payload is None:
        raise ValueError(f"{name} is not a RetrieveTIGroups v1 reply")
    payload.tag = f"{{{TIG_V2}}}retrieveTIGroupsResponse"
    if payload.find("legalContext") is None:
        legal = etree.Element("legalContext")
        legal.text = "PCSA:SOCIAL_INQUIRY"
        anchor = payload.find("informationCBSS")
        if anchor is None:
            raise ValueError(f"{name} has no informationCBSS")
        anchor.addnext(legal)
    # v1 puts status before searchInformation; the v2 schema wants it after (zeep checks order)
    status, search = payload.find("status"), payload.find("searchInformation")
    if status is not None and search is not None:
        search.addnext(status)
    etree.cleanup_namespaces(root)
    return root


@cache
def sample_reply(name: str) -> bytes:
    """A whole SOAP reply (bytes) carrying the official sample *name* as a v2 response."""
    return etree.tostring(_v2_envelope(name), xml_declaration=True, encoding="UTF-8")


def _history_items(payload: etree._Element) -> list[etree._Element]:
    """The repeated entries of each information type (``Names/Name``, ``…Addresses/…Address``)."""
    from cbss_sdk._binding import _CONTEXT
    from cbss_sdk.models.retrieve_ti_groups_v2.be.fgov.rrn.ibz.xsd.xm25.rn25_schema import (
        FileInfoType,
    )

    rrn = payload.find("rrn_it_implicit")
    if rrn is None:
        raise ValueError("the sample has no rrn_it_implicit")
    meta = _CONTEXT.build(FileInfoType)
    items: list[etree._Element] = []
    for group in rrn:
        if not isinstance(group.tag, str):
            continue
        found = meta.elements.get(group.tag)
        if not found or found[0].clazz is None:
            continue
        group_meta = _CONTEXT.build(found[0].clazz, meta.namespace)
        for item in group:
            variables = group_meta.elements.get(item.tag) if isinstance(item.tag, str) else None
            if variables and variables[0].list_element and variables[0].clazz is not None:
                items.append(item)
    return items


def _repeat(base: str, copies: int) -> etree._Element:
    root = _v2_envelope(base)
    payload = root.find(f"{{{SOAP_NS}}}Body/{{{TIG_V2}}}retrieveTIGroupsResponse")
    assert payload is not None
    items = _history_items(payload)
    if not items:
        raise ValueError(f"{base} has no history entries to repeat")
    for item in items:
        anchor = item
        for _ in range(copies):
            clone = etree.fromstring(etree.tostring(item))
            anchor.addnext(clone)
            anchor = clone
    return root


@cache
def synthetic_reply(target_bytes: int, base: str = "demo_tx25_3.xml") -> bytes:
    """A v2 TX25 reply of about *target_bytes*, with long histories."""
    size0 = len(etree.tostring(_repeat(base, 0)))
    per_copy = len(etree.tostring(_repeat(base, 1))) - size0
    copies = max(0, math.ceil((target_bytes - size0) / per_copy))
    return etree.tostring(_repeat(base, copies), xml_declaration=True, encoding="UTF-8")
