"""Classifying an HTTP reply: a SOAP message to read, a SOAP Fault to raise, or an HTTP error.

CBSS answers SOAP Faults with HTTP 500, while proxies and load balancers in
front of it answer with HTML pages or empty bodies.  The caller needs to know
which one it got: a fault carries CBSS tickets and reason codes, an HTTP error
carries a status and an excerpt for support.  The fault is raised here, before
any signature check, so an unsigned fault still reaches the caller as a
:class:`~cbss_sdk.errors.SoapFault`.

Decisions, in order:

1. empty body: :class:`~cbss_sdk.errors.CbssHttpError` on a non-2xx status,
   :class:`~cbss_sdk.errors.ProtocolError` on 2xx;
2. an HTML page (sniffed, never parsed): same split;
3. hostile XML (DOCTYPE, over the limits): the ``XmlSecurityError`` /
   ``XmlTooLarge`` of :func:`parse_xml`, whatever the status;
4. not well-formed: ``CbssHttpError`` on non-2xx, ``XmlError`` on 2xx;
5. XML that is not a SOAP envelope: ``CbssHttpError`` on non-2xx,
   ``ProtocolError`` on 2xx; a SOAP 1.2 envelope is a ``ProtocolError``;
6. a SOAP Fault: :class:`~cbss_sdk.errors.SoapFault`, whatever the status;
7. an envelope without a fault on a non-2xx status: ``CbssHttpError``;
8. otherwise the :class:`SoapMessage`, on the tree exactly as parsed.
"""

from __future__ import annotations

import re
from http import HTTPStatus

from lxml import etree

from .._redact import mask_national_numbers
from ..errors import CbssHttpError, ProtocolError, XmlError, XmlSecurityError, XmlTooLarge
from ._envelope import SoapMessage, read_envelope
from ._fault import find_fault, parse_fault
from ._ns import SOAP12_ENV_NS, SOAP_ENV_NS
from ._xml import DEFAULT_XML_LIMITS, Prolog, XmlLimits, parse_xml, sniff_prolog

__all__ = ["looks_like_soap", "read_soap_response"]

_EXCERPT_CHARS = 200
_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


def _excerpt(body: bytes, limit: int = _EXCERPT_CHARS) -> str:
    text = body[: limit * 4].decode("utf-8", "replace")[:limit]
    shown = "".join(ch if ch.isprintable() or ch in "\n\t" else "?" for ch in text)
    return mask_national_numbers(shown)


def _html_title(body: bytes) -> str | None:
    found = _TITLE.search(body[:8192].decode("utf-8", "replace"))
    if found is None:
        return None
    title = " ".join(found.group(1).split())[:100]
    return mask_national_numbers(title) or None


def _local_name(qname: str | None) -> str:
    return (qname or "").rpartition(":")[2]


def _is_html(prolog: Prolog) -> bool:
    return prolog.kind in ("element", "doctype") and _local_name(prolog.name).lower() == "html"


def _http_error(
    status_code: int, content_type: str | None, body: bytes, what: str
) -> CbssHttpError:
    try:
        phrase = " " + HTTPStatus(status_code).phrase
    except ValueError:
        phrase = ""
    return CbssHttpError(
        f"HTTP {status_code}{phrase}: {what}",
        status_code=status_code,
        content_type=content_type,
        body_excerpt=_excerpt(body),
    )


def read_soap_response(
    status_code: int,
    content_type: str | None,
    body: bytes,
    *,
    limits: XmlLimits = DEFAULT_XML_LIMITS,
) -> SoapMessage:
    """Read an HTTP reply as a SOAP 1.1 message, or raise what it is instead.

    Returns the :class:`SoapMessage` of a fault-free envelope on a 2xx status.
    Raises :class:`~cbss_sdk.errors.SoapFault` (with ``http_status``) when the
    Body holds a Fault, :class:`~cbss_sdk.errors.CbssHttpError` for an error
    status without a SOAP envelope, :class:`~cbss_sdk.errors.ProtocolError`
    or :class:`~cbss_sdk.errors.XmlError` for a 2xx reply that is not one, and
    the ``XmlSecurityError``/``XmlTooLarge`` of :func:`parse_xml` for hostile
    XML.  The content type is reported, not trusted: the body decides.
    """
    success = 200 <= status_code < 300
    if len(body) > limits.max_bytes:
        raise XmlTooLarge(f"reply larger than {limits.max_bytes} bytes ({len(body)} bytes)")

    prolog = sniff_prolog(body)
    if prolog.kind == "empty":
        if success:
            raise ProtocolError(f"HTTP {status_code} reply with an empty body; expected SOAP")
        raise _http_error(status_code, content_type, body, "empty body")
    if _is_html(prolog):
        title = _html_title(body)
        what = "an HTML page" + (f" titled {title!r}" if title else "")
        if success:
            raise ProtocolError(f"HTTP {status_code} reply is {what}, not a SOAP envelope")
        raise _http_error(status_code, content_type, body, what)

    try:
        root = parse_xml(body, limits=limits)
    except (XmlSecurityError, XmlTooLarge):
        raise
    except XmlError as exc:
        if success:
            raise
        raise _http_error(status_code, content_type, body, exc.message) from exc

    tag = root.tag if isinstance(root.tag, str) else ""
    name = etree.QName(tag) if tag else None
    is_envelope = (
        name is not None
        and name.localname == "Envelope"
        and name.namespace in (SOAP_ENV_NS, SOAP12_ENV_NS)
    )
    if not is_envelope and not success:
        shown = name.localname if name is not None else "?"
        raise _http_error(
            status_code,
            content_type,
            body,
            f"XML that is not a SOAP envelope (root element {shown!r})",
        )
    message = read_envelope(root)  # ProtocolError: not an envelope, SOAP 1.2, bad structure
    fault = find_fault(message)
    if fault is not None:
        raise parse_fault(fault, http_status=status_code)
    if not success:
        raise _http_error(status_code, content_type, body, "SOAP envelope without a Fault")
    return message


def looks_like_soap(content_type: str | None, body: bytes) -> bool:
    """Whether an HTTP body carries (or starts) a SOAP envelope, judged without parsing.

    Used by the retry rule: a 502/503/504 is retried only when this is
    ``False``, since a SOAP body means CBSS itself answered.  The test is
    deliberately generous (a truncated envelope still counts), so doubt
    never leads to resending a request.
    """
    if not body:
        return False
    prolog = sniff_prolog(body)
    if prolog.kind in ("element", "doctype") and _local_name(prolog.name) == "Envelope":
        return True
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "multipart/related" and b"Envelope" in body[:65536]
