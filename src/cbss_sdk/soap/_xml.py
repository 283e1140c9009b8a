"""Hardened parsing of every XML document the SDK receives.

Replies come from a trusted party over TLS, but a proxy error page, a
misconfigured gateway or a compromised peer must not be able to make the SDK
read a local file, open a connection, or spend unbounded memory.  Every
inbound document therefore goes through :func:`parse_xml`, which uses one
parser configuration and refuses any document type declaration outright
(this removes XXE, external DTDs, parameter entities, billion laughs and
quadratic blow-up in one rule: CBSS never sends a DTD).

The checks cost almost nothing next to the parse itself: a size comparison,
a scan of the few bytes before the root element, a look at the parsed
document's DTD slot, and (only when a depth cap lower than libxml2's own is
configured) one compiled XPath.
"""

from __future__ import annotations

import codecs
import functools
import re
import threading
from collections.abc import Sequence
from typing import Final, Literal, TypedDict

import attrs
from lxml import etree

from .._redact import mask_national_numbers
from ..errors import ConfigurationError, XmlError, XmlSecurityError, XmlTooLarge

__all__ = [
    "DEFAULT_XML_LIMITS",
    "Prolog",
    "XmlLimits",
    "hardened_pull_parser",
    "parse_xml",
    "parser_enforces_depth",
    "sniff_prolog",
]


def _positive_int(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigurationError(f"XmlLimits.{attribute.name} must be a positive integer")


@attrs.frozen
class XmlLimits:
    """Caps applied to every inbound XML document.

    ``max_bytes`` is checked on the raw bytes before parsing; ``max_depth``
    is the deepest element nesting accepted (the root element is depth 1).
    The parser also keeps libxml2's own caps (nesting deeper than 256, a
    single text node over 10 MB), which no setting here lifts.
    """

    max_bytes: int = attrs.field(default=32 * 1024 * 1024, validator=_positive_int)
    max_depth: int = attrs.field(default=256, validator=_positive_int)


DEFAULT_XML_LIMITS = XmlLimits()

# --------------------------------------------------------------------------- prolog


@attrs.frozen
class Prolog:
    """What precedes the root element, read without parsing.

    ``kind`` is the first significant thing after the XML declaration,
    comments and processing instructions:

    * ``"empty"``: nothing but whitespace (and a byte order mark);
    * ``"element"``: a start tag; ``name`` is its qualified name;
    * ``"doctype"``: a document type declaration; ``name`` is the root name it declares;
    * ``"text"``: a character that cannot start XML markup (JSON, plain text, binary);
    * ``"unknown"``: anything else (truncated prolog, stray ``<!``...) — the parser decides.
    """

    kind: str
    name: str | None = None
    encoding: str | None = None


_WS = re.compile(rb"[ \t\r\n]*")
_NAME = re.compile(rb"[^ \t\r\n/>\[\]]{0,256}")
_DECL_ENCODING = re.compile(rb"""\bencoding[ \t\r\n]*=[ \t\r\n]*(["'])([^"']{0,64})\1""")
# Byte patterns libxml2 auto-detects as a non ASCII-compatible encoding.
_WIDE_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)


def _ascii_view(data: bytes) -> bytes:
    """The document as ASCII-compatible bytes, for scanning its prolog only."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :]
    for signature, codec in _WIDE_ENCODINGS:
        if data.startswith(signature):
            # Rare (CBSS sends UTF-8): transcode so the same byte scanner applies.
            return data.decode(codec, "replace").lstrip("\ufeff").encode("utf-8")
    return data


def _skip_ws(view: bytes, pos: int) -> int:
    found = _WS.match(view, pos)
    return found.end() if found is not None else pos


def _name_at(view: bytes, pos: int) -> str:
    found = _NAME.match(view, pos)
    return found.group().decode("utf-8", "replace") if found is not None else ""


def sniff_prolog(data: bytes) -> Prolog:
    """Read the XML declaration and what follows it up to the root start tag.

    Never raises and never parses: it is safe on hostile input and linear in
    the length of the prolog (a few dozen bytes for a normal reply).
    """
    view = _ascii_view(data)
    size = len(view)
    pos = _skip_ws(view, 0)
    if pos >= size:
        return Prolog("empty")
    encoding: str | None = None
    if view.startswith(b"<?xml", pos) and view[pos + 5 : pos + 6] in (b" ", b"\t", b"\r", b"\n"):
        end = view.find(b"?>", pos)
        if end < 0:
            return Prolog("unknown")
        found = _DECL_ENCODING.search(view, pos, end)
        if found is not None:
            encoding = found.group(2).decode("ascii", "replace")
        pos = end + 2
    while True:
        pos = _skip_ws(view, pos)
        if pos >= size:
            return Prolog("unknown", encoding=encoding)
        if view[pos] != 0x3C:  # "<"
            return Prolog("text", encoding=encoding)
        if view.startswith(b"<!--", pos):
            end = view.find(b"-->", pos + 4)
            if end < 0:
                return Prolog("unknown", encoding=encoding)
            pos = end + 3
        elif view.startswith(b"<?", pos):
            end = view.find(b"?>", pos + 2)
            if end < 0:
                return Prolog("unknown", encoding=encoding)
            pos = end + 2
        elif view.startswith(b"<!", pos):
            if view[pos + 2 : pos + 9].upper() != b"DOCTYPE":
                return Prolog("unknown", encoding=encoding)
            pos = _skip_ws(view, pos + 9)
            name = _name_at(view, pos)
            return Prolog("doctype", name=name, encoding=encoding)
        else:
            name = _name_at(view, pos + 1)
            if not name or not (name[0].isalpha() or name[0] in "_:" or ord(name[0]) > 0x7F):
                return Prolog("text", encoding=encoding)
            return Prolog("element", name=name, encoding=encoding)


# --------------------------------------------------------------------------- parser

# Declared encodings accepted.  Anything else (UTF-7, EBCDIC, ...) is refused:
# CBSS sends UTF-8, and exotic encodings are the classic way to hide a DOCTYPE
# from a byte-level check.
_ENCODINGS = frozenset(
    {
        "utf-8",
        "utf8",
        "us-ascii",
        "ascii",
        "iso-8859-1",
        "iso8859-1",
        "latin1",
        "latin-1",
        "iso-8859-15",
        "windows-1252",
        "cp1252",
        "utf-16",
        "utf-16le",
        "utf-16be",
    }
)

_local = threading.local()


class _Hardened(TypedDict):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    dtd_validation: bool
    attribute_defaults: bool
    huge_tree: bool
    remove_comments: bool
    remove_pis: bool
    remove_blank_text: bool


#: The libxml2 settings of every inbound parse, whole (:func:`parse_xml`) or streamed
#: (:func:`hardened_pull_parser`): no entities, no network, no DTD, libxml2's own caps kept.
_HARDENED: Final[_Hardened] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "attribute_defaults": False,
    "huge_tree": False,
    # Comments are dropped, and the text around them joined: XML-DSig never digests a
    # comment inside a referenced element, so ``<ssin>680<!--x-->30700174</ssin>`` verifies
    # as the signed value ``68030700174`` while ``.text`` would read ``680``. Without
    # comments what the binders read is what was signed. Nothing else is dropped: the tree
    # is otherwise kept as received (whitespace and processing instructions are digested).
    "remove_comments": True,
    "remove_pis": False,
    "remove_blank_text": False,
}


def _new_parser() -> etree.XMLParser:
    return etree.XMLParser(**_HARDENED)


def hardened_pull_parser(
    *, events: Sequence[Literal["start", "end"]], tag: Sequence[str] | None = None
) -> etree.XMLPullParser:
    """A feed parser with exactly the settings of :func:`parse_xml` (for streamed reads).

    The caller applies the checks :func:`parse_xml` makes around the parse
    itself (size, prolog, declared encoding, DOCTYPE, depth caps below
    libxml2's: see :func:`parser_enforces_depth`).
    """
    return etree.XMLPullParser(events=events, tag=tag, **_HARDENED)


def _parser() -> etree.XMLParser:
    """This thread's parser (lxml parsers must not be shared between threads)."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _new_parser()
        _local.parser = parser
    return parser


# Depth caps at or above this are not probed nor checked by XPath: libxml2's own
# cap (256 without huge_tree) is far below, and the probe would be costly.
_DEPTH_CHECK_CEILING = 4096


def parser_enforces_depth(limits: XmlLimits) -> bool:
    """Whether libxml2 alone enforces ``limits.max_depth`` (no depth check after the parse)."""
    return not _needs_depth_check(limits.max_depth)


def _needs_depth_check(max_depth: int) -> bool:
    """Whether the configured cap is stricter than what libxml2 enforces by itself."""
    return max_depth < _DEPTH_CHECK_CEILING and not _parser_refuses_depth(max_depth + 1)


@functools.lru_cache(maxsize=16)
def _parser_refuses_depth(depth: int) -> bool:
    """Whether libxml2 itself refuses a document nested *depth* levels deep."""
    try:
        etree.fromstring(b"<a>" * depth + b"</a>" * depth, _new_parser())
    except etree.XMLSyntaxError:
        return True
    return False


def _depth_probe(max_depth: int) -> etree.XPath:
    """A compiled XPath telling whether any element sits deeper than *max_depth*."""
    cache: dict[int, etree.XPath] | None = getattr(_local, "depth_probes", None)
    if cache is None:
        cache = {}
        _local.depth_probes = cache
    probe = cache.get(max_depth)
    if probe is None:
        probe = etree.XPath("boolean(" + "/*" * (max_depth + 1) + ")")
        cache[max_depth] = probe
    return probe


_TEXT_DECL = re.compile(
    r"""\A(\ufeff?<\?xml[ \t\r\n][^?>]*?\bencoding[ \t\r\n]*=[ \t\r\n]*)(["'])([^"']*)\2"""
)


def _text_to_bytes(text: str, limits: XmlLimits) -> bytes:
    """UTF-8 bytes for decoded text; a stale encoding declaration is rewritten to UTF-8."""
    if len(text) > limits.max_bytes:
        raise XmlTooLarge(f"XML document larger than {limits.max_bytes} bytes")
    declared = _TEXT_DECL.match(text)
    if declared is not None and declared.group(3).strip().lower() not in ("utf-8", "utf8"):
        quote = declared.group(2)
        text = declared.group(1) + quote + "UTF-8" + quote + text[declared.end() :]
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise XmlError("XML text contains characters that cannot be encoded") from None


def _excerpt(data: bytes, limit: int = 40) -> str:
    text = data[: limit * 4].decode("utf-8", "replace")[:limit]
    shown = "".join(ch if ch.isprintable() else "?" for ch in text)
    return mask_national_numbers(shown)


def _syntax_error(exc: etree.XMLSyntaxError) -> XmlError:
    message = " ".join(str(exc.msg or exc).split())
    if exc.code == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
        if "depth" in message.lower():
            return XmlTooLarge(f"XML document nested too deeply: {message}")
        return XmlTooLarge(f"XML document exceeds a parser limit: {message}")
    return XmlError(f"malformed XML: {message}")


def parse_xml(data: bytes | str, *, limits: XmlLimits = DEFAULT_XML_LIMITS) -> etree._Element:
    """Parse an inbound document with the hardened configuration; return its root element.

    Raises :class:`~cbss_sdk.errors.XmlTooLarge` over ``limits`` (size is
    checked before parsing), :class:`~cbss_sdk.errors.XmlSecurityError` for
    any DOCTYPE, and :class:`~cbss_sdk.errors.XmlError` for anything that is
    not well-formed XML (empty, HTML, JSON, truncated, unsupported encoding).
    Nothing is ever read from disk or the network.  The returned tree is
    what was received less its comments (the text around a comment is
    joined, so that a comment slipped into a signed value cannot shorten
    what is read; XML-DSig never digests such comments): processing
    instructions and whitespace are kept, since signatures are checked on it.
    """
    if isinstance(data, str):
        raw = _text_to_bytes(data, limits)
    elif isinstance(data, bytes):
        raw = data
    elif isinstance(data, (bytearray, memoryview)):
        raw = bytes(data)
    else:
        raise TypeError(f"parse_xml() takes bytes or str, not {type(data).__name__}")
    if len(raw) > limits.max_bytes:
        raise XmlTooLarge(f"XML document larger than {limits.max_bytes} bytes ({len(raw)} bytes)")

    prolog = sniff_prolog(raw)
    if prolog.kind == "empty":
        raise XmlError("empty document: expected XML")
    if prolog.kind == "doctype":
        raise XmlSecurityError("XML document type declarations (DOCTYPE) are refused")
    if prolog.encoding is not None and prolog.encoding.strip().lower() not in _ENCODINGS:
        shown = mask_national_numbers(prolog.encoding[:32])
        raise XmlError(f"unsupported XML encoding {shown!r}")
    if prolog.kind == "text":
        raise XmlError(f"not XML: body starts with {_excerpt(raw)!r}")

    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc) from None
    except (etree.LxmlError, ValueError) as exc:
        raise XmlError(f"unreadable XML ({type(exc).__name__})") from None

    # Authoritative check, whatever the encoding hid from the byte scan.
    if root.getroottree().docinfo.internalDTD is not None:
        raise XmlSecurityError("XML document type declarations (DOCTYPE) are refused")
    if _needs_depth_check(limits.max_depth) and _depth_probe(limits.max_depth)(root):
        raise XmlTooLarge(f"XML document nested deeper than {limits.max_depth} levels")
    return root
