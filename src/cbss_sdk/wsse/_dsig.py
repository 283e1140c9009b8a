"""The XML-DSig primitives of verification, applied to the received tree in place.

Verifying a signature needs three things besides the tree walk: the
canonical bytes of an element under a declared canonicalisation method, the
strict decoding of a base64 value, and the check of a signature value with a
certificate's public key.  They live here, apart from the policy of
:mod:`cbss_sdk.wsse._verify`, so that each is small enough to reason about.

Canonicalisation is libxml2's, through lxml, on the element where it sits:
nothing is serialised and parsed again.  lxml canonicalises an element as
the root of a temporary document that shares its nodes and carries the
namespace declarations of its ancestors, which is the namespace context
both exclusive and inclusive canonicalisation define for a document subset;
the default namespace declarations, where lxml falls short (``#default`` in
a PrefixList, inclusive methods), are set right afterwards by the rule the
specification gives (see :func:`_render_default_namespace`).  What lxml does
not carry is inclusive canonicalisation's inheritance of
``xml:*`` attributes (``xml:lang``, ``xml:space``...) from ancestors; an
element whose ancestors hold such attributes is therefore refused under an
inclusive method rather than digested wrongly.  Canonical XML 1.1 differs
from 1.0 only in how it inherits ``xml:id`` and ``xml:base``, so with that
refusal both give the same bytes.
"""

from __future__ import annotations

import binascii
import re
from base64 import b64decode
from typing import Final

import attrs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, rsa, utils
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from lxml import etree

from ..errors import SignatureError
from ._algorithms import SignatureAlgorithm
from ._ns import EXC_C14N_NS

__all__ = [
    "DEFAULT_REFERENCE_C14N",
    "C14nMethod",
    "KeyMismatch",
    "b64decode_strict",
    "canonicalize",
    "read_c14n_method",
    "simple_text",
    "verify_signature_value",
]

_XML_NS: Final = "{http://www.w3.org/XML/1998/namespace}"
_INCLUSIVE_NAMESPACES: Final = f"{{{EXC_C14N_NS}}}InclusiveNamespaces"
#: XML white space, the only characters allowed around and inside base64 text.
_XML_WHITESPACE: Final = str.maketrans("", "", " \t\r\n")
#: The markup of canonical XML, in document order: processing instructions and comments
#: (skipped whole, they may contain ``<``), end tags, and start tags with the name and the
#: default namespace declaration that, when present, always comes first.
_CANONICAL_MARKUP: Final = re.compile(
    rb'<(?:\?.*?\?>|!--.*?-->|/[^>]*>|([^\s/>]+)( xmlns="[^"]*")?)', re.DOTALL
)
#: Characters a default namespace URI must not hold for the declaration to be rewritten.
_UNSAFE_IN_DECLARATION: Final = re.compile(r'["&<>\s]')


@attrs.frozen
class C14nMethod:
    """One canonicalisation method as declared: its URI and what it means for lxml."""

    uri: str
    exclusive: bool
    with_comments: bool
    #: The exclusive method's ``InclusiveNamespaces PrefixList`` (``#default`` included
    #: as such), or ``None`` when none is given.
    prefixes: tuple[str, ...] | None = None


#: What a reference without transforms is digested with: the XML-DSig default,
#: inclusive Canonical XML 1.0 without comments.
DEFAULT_REFERENCE_C14N: Final = C14nMethod(
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315", exclusive=False, with_comments=False
)


def read_c14n_method(node: etree._Element, uri: str, where: str) -> C14nMethod:
    """The method named by *uri* (already accepted) with the parameters *node* holds.

    *node* is a ``ds:CanonicalizationMethod`` or a ``ds:Transform``.  For the
    exclusive methods, one ``ec:InclusiveNamespaces`` child with a
    ``PrefixList`` may name prefixes to render as inclusive canonicalisation
    would; inclusive methods take no parameter and ignore their content.
    """
    exclusive = uri.startswith(EXC_C14N_NS)
    with_comments = uri.endswith("#WithComments")
    prefixes: tuple[str, ...] | None = None
    if exclusive:
        found = node.findall(_INCLUSIVE_NAMESPACES)
        if len(found) > 1:
            raise SignatureError(
                f"{where} holds {len(found)} ec:InclusiveNamespaces elements; at most one is "
                "accepted",
                reason="malformed",
            )
        if found:
            prefix_list = found[0].get("PrefixList")
            if prefix_list is None:
                raise SignatureError(
                    f"{where}: ec:InclusiveNamespaces has no PrefixList attribute",
                    reason="malformed",
                )
            prefixes = tuple(prefix_list.split())
    return C14nMethod(uri, exclusive=exclusive, with_comments=with_comments, prefixes=prefixes)


def canonicalize(element: etree._Element, method: C14nMethod, what: str) -> bytes:
    """The canonical form of *element* in its document, under *method*.

    *what* names the element in the error raised when an inclusive method
    would have to inherit ``xml:*`` attributes of its ancestors.
    """
    if not method.exclusive:
        for ancestor in element.iterancestors():
            for name in ancestor.attrib:
                if name.startswith(_XML_NS):
                    raise SignatureError(
                        f"{what} is canonicalised with {method.uri}, which would inherit the "
                        f"attribute xml:{name[len(_XML_NS) :]} of an enclosing element; only "
                        "exclusive canonicalisation is supported in that case",
                        reason="algorithm",
                    )
    canonical = etree.tostring(
        element,
        method="c14n",
        exclusive=method.exclusive,
        with_comments=method.with_comments,
        inclusive_ns_prefixes=list(method.prefixes) if method.prefixes is not None else None,
    )
    if not method.exclusive or (method.prefixes is not None and "#default" in method.prefixes):
        canonical = _render_default_namespace(element, canonical, what)
    return canonical


def _render_default_namespace(element: etree._Element, canonical: bytes, what: str) -> bytes:
    """Declare the default namespace the inclusive way in lxml's canonical form.

    Two lxml shortcomings touch only the default namespace declarations:

    * lxml passes libxml2 only the prefixes its document dictionary knows, so
      ``#default`` in an InclusiveNamespaces PrefixList never arrives and the
      default namespace is rendered the exclusive way (on the elements that
      use it);
    * canonicalising a subtree inclusively, lxml's temporary root copies the
      ancestors' declarations while the nodes still point to the originals,
      and libxml2 then adds a spurious ``xmlns=""`` to elements two levels
      down when the default namespace is declared above the subtree.

    Rendered the inclusive way, the default namespace is declared on each
    element whose in-scope default differs from its parent's (on the apex
    when it has one), ``xmlns=""`` where it is undeclared.  Each start tag of
    *canonical* gets the declaration that rule gives; nothing else changes.
    """
    wanted: list[bytes] = []
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        default = node.nsmap.get(None) or ""
        parent = node.getparent()
        inherited = "" if node is element or parent is None else parent.nsmap.get(None) or ""
        if default == inherited:
            wanted.append(b"")
        elif _UNSAFE_IN_DECLARATION.search(default):
            raise SignatureError(
                f"{what}: the default namespace {default!r} cannot be rendered for "
                "InclusiveNamespaces '#default'",
                reason="algorithm",
            )
        else:
            wanted.append(b' xmlns="' + default.encode("utf-8") + b'"')
    start_tags = [m for m in _CANONICAL_MARKUP.finditer(canonical) if m.group(1) is not None]
    if len(start_tags) != len(wanted):  # pragma: no cover - one start tag per element
        raise SignatureError(f"{what} could not be canonicalised", reason="malformed")
    pieces: list[bytes] = []
    position = 0
    for match, declaration in zip(start_tags, wanted, strict=True):
        pieces += [canonical[position : match.end(1)], declaration]
        position = match.end()
    pieces.append(canonical[position:])
    return b"".join(pieces)


def simple_text(node: etree._Element, what: str) -> str:
    """The character content of a simple-content element (comments skipped).

    An element, processing instruction or entity inside *node* is refused:
    the text read here must be the very text canonicalisation signs.
    """
    for child in node:
        if not isinstance(child, etree._Comment):
            raise SignatureError(
                f"{what} must hold base64 text only, found markup inside it", reason="malformed"
            )
    return "".join(node.itertext())


def b64decode_strict(text: str, what: str) -> bytes:
    """Decode base64 *text*: XML white space is ignored, any other stray character refused."""
    try:
        return b64decode(text.translate(_XML_WHITESPACE), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(f"{what} is not valid base64", reason="malformed") from None


class KeyMismatch(Exception):
    """The certificate's key cannot produce signatures of the declared method."""


def verify_signature_value(
    public_key: object, algorithm: SignatureAlgorithm, data: bytes, value: bytes
) -> None:
    """Check *value* over *data* with *public_key*, as *algorithm* defines.

    RSA methods are PKCS#1 v1.5; ECDSA values are ``r || s``, each padded to
    the curve size, as XML-DSig writes them.  Raises
    :class:`cryptography.exceptions.InvalidSignature` when the value does
    not verify, :class:`KeyMismatch` when the key is of another kind.
    """
    hash_algorithm = algorithm.hash_factory()
    if algorithm.key_kind == "rsa":
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise KeyMismatch
        public_key.verify(value, data, PKCS1v15(), hash_algorithm)
        return
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        raise KeyMismatch
    size = (public_key.curve.key_size + 7) // 8
    if len(value) != 2 * size:
        raise InvalidSignature
    r = int.from_bytes(value[:size], "big")
    s = int.from_bytes(value[size:], "big")
    public_key.verify(utils.encode_dss_signature(r, s), data, ec.ECDSA(hash_algorithm))
