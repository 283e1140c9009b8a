"""Read a received ``ds:Signature``: its XML-DSig shape, algorithms and references.

Everything here is *declared* by the sender and not yet trusted: it is read
once, checked against what the SDK accepts (steps 1 and 2 of
:func:`cbss_sdk.wsse.verify_envelope`), and handed on as a
:class:`SignedInfo`.  The shape check stands in for the XML-DSig schema on the
elements verification reads, so that the text digested, compared or
verified is exactly the text the canonical SignedInfo carries.
"""

from __future__ import annotations

import re
from typing import Final

import attrs
from lxml import etree

from ..errors import SignatureError
from ._algorithms import (
    ACCEPTED_C14N_URIS,
    DIGEST_ALGORITHMS_BY_URI,
    SIGNATURE_ALGORITHMS_BY_URI,
    SignatureAlgorithm,
)
from ._config import VerificationConfig
from ._coverage import SignedReference
from ._dsig import (
    DEFAULT_REFERENCE_C14N,
    C14nMethod,
    b64decode_strict,
    read_c14n_method,
    simple_text,
)
from ._ns import (
    DS_C14N_METHOD,
    DS_DIGEST_METHOD,
    DS_DIGEST_VALUE,
    DS_KEY_INFO,
    DS_NS,
    DS_REFERENCE,
    DS_SIGNATURE,
    DS_SIGNATURE_METHOD,
    DS_SIGNATURE_VALUE,
    DS_SIGNED_INFO,
    DS_TRANSFORM,
    DS_TRANSFORMS,
)

__all__ = ["LOCAL_ID_URI", "SignedInfo", "read_signed_info", "single"]

#: A same-document reference to an element by id: ``#id``.
LOCAL_ID_URI: Final = re.compile(r"^#([^\s#]+)$")
_DS_OBJECT: Final = f"{{{DS_NS}}}Object"
#: XML white space: the only character data allowed between the elements of a ds:Signature.
_XML_WHITESPACE: Final = " \t\r\n"
#: An XML NCName (the type of every ``Id`` attribute of XML-DSig), letters by Unicode class.
_NCNAME: Final = re.compile(r"[^\W\d][\w.\-\u00b7]*")
#: The attributes XML-DSig allows on each element of the signature this module reads.
_ALLOWED_ATTRIBUTES: Final[dict[str, frozenset[str]]] = {
    DS_SIGNATURE: frozenset({"Id"}),
    DS_SIGNED_INFO: frozenset({"Id"}),
    DS_C14N_METHOD: frozenset({"Algorithm"}),
    DS_SIGNATURE_METHOD: frozenset({"Algorithm"}),
    DS_REFERENCE: frozenset({"Id", "URI", "Type"}),
    DS_TRANSFORMS: frozenset(),
    DS_TRANSFORM: frozenset({"Algorithm"}),
    DS_DIGEST_METHOD: frozenset({"Algorithm"}),
    DS_DIGEST_VALUE: frozenset(),
    DS_SIGNATURE_VALUE: frozenset({"Id"}),
    DS_KEY_INFO: frozenset({"Id"}),
}


@attrs.frozen
class SignedInfo:
    """What a received ``ds:Signature`` declares, read (not yet trusted) before any check.

    ``transforms[i]`` and ``digest_values[i]`` belong to ``references[i]``.
    """

    element: etree._Element
    c14n: C14nMethod
    algorithm: SignatureAlgorithm
    references: list[SignedReference]
    transforms: list[C14nMethod]
    digest_values: list[bytes]
    signature_value: bytes


def read_signed_info(signature: etree._Element, config: VerificationConfig) -> SignedInfo:
    """Check the shape and algorithms of *signature*; return what its SignedInfo declares."""
    signed_info, signature_value = _signature_shape(signature)
    c14n_node = single(signed_info, DS_C14N_METHOD, "ds:SignedInfo")
    c14n = c14n_node.get("Algorithm")
    if c14n not in ACCEPTED_C14N_URIS:
        raise SignatureError(
            f"SignedInfo canonicalisation {c14n!r} is not accepted", reason="algorithm"
        )
    c14n_method = read_c14n_method(c14n_node, c14n, "the SignedInfo CanonicalizationMethod")
    method_uri = single(signed_info, DS_SIGNATURE_METHOD, "ds:SignedInfo").get("Algorithm")
    algorithm = SIGNATURE_ALGORITHMS_BY_URI.get(method_uri or "")
    if algorithm is None:
        raise SignatureError(
            f"signature algorithm {method_uri!r} is not accepted", reason="algorithm"
        )
    if algorithm.is_sha1 and not config.allow_sha1:
        raise SignatureError(
            f"signature algorithm {algorithm.name} uses SHA-1, refused "
            "(VerificationConfig(allow_sha1=True) accepts it)",
            reason="algorithm",
        )
    references: list[SignedReference] = []
    transforms: list[C14nMethod] = []
    digest_values: list[bytes] = []
    for node in signed_info.findall(DS_REFERENCE):
        uri = node.get("URI")
        match = LOCAL_ID_URI.match(uri or "")
        if match is None:
            raise SignatureError(
                f"reference URI {uri!r} is not a same-document '#id' reference; "
                "only signatures over identified elements are accepted",
                reason="coverage",
            )
        transforms.append(_reference_transform(node, uri or ""))
        digest_uri = single(node, DS_DIGEST_METHOD, f"reference {uri}").get("Algorithm")
        digest = DIGEST_ALGORITHMS_BY_URI.get(digest_uri or "")
        if digest is None:
            raise SignatureError(
                f"reference {uri}: digest algorithm {digest_uri!r} is not accepted",
                reason="algorithm",
            )
        if digest.is_sha1 and not config.allow_sha1:
            raise SignatureError(
                f"reference {uri}: digest algorithm SHA-1 is refused "
                "(VerificationConfig(allow_sha1=True) accepts it)",
                reason="algorithm",
            )
        what = f"the DigestValue of reference {uri}"
        value_node = single(node, DS_DIGEST_VALUE, f"reference {uri}")
        digest_values.append(b64decode_strict(simple_text(value_node, what), what))
        references.append(SignedReference(uri=uri or "", element_id=match.group(1), digest=digest))
    if not references:
        raise SignatureError("the signature has no ds:Reference", reason="malformed")
    return SignedInfo(
        element=signed_info,
        c14n=c14n_method,
        algorithm=algorithm,
        references=references,
        transforms=transforms,
        digest_values=digest_values,
        signature_value=b64decode_strict(
            simple_text(signature_value, "the ds:SignatureValue"), "the ds:SignatureValue"
        ),
    )


def _reference_transform(reference: etree._Element, uri: str) -> C14nMethod:
    """How a reference's element is canonicalised: its one transform, or the XML-DSig default."""
    transforms = reference.find(DS_TRANSFORMS)
    if transforms is None:
        return DEFAULT_REFERENCE_C14N
    declared: list[tuple[etree._Element, str]] = []
    for transform in transforms:
        if not isinstance(transform.tag, str):
            continue  # comments and processing instructions
        if transform.tag != DS_TRANSFORM:
            raise SignatureError(
                f"reference {uri}: unexpected element in ds:Transforms", reason="malformed"
            )
        name = transform.get("Algorithm")
        if name not in ACCEPTED_C14N_URIS:
            raise SignatureError(
                f"reference {uri}: transform {name!r} is not accepted "
                "(only canonicalisation transforms are)",
                reason="algorithm",
            )
        declared.append((transform, name))
    if len(declared) != 1:
        raise SignatureError(
            f"reference {uri}: {len(declared)} transforms; exactly one canonicalisation "
            "transform is accepted",
            reason="algorithm",
        )
    transform, name = declared[0]
    # A same-document "#id" reference selects the element "but not comments" (XML-DSig
    # 4.3.3.3): even a #WithComments transform digests it without them, as xmlsec1 and
    # Apache Santuario do.
    method = read_c14n_method(transform, name, f"reference {uri}: the transform")
    return attrs.evolve(method, with_comments=False)


def _signature_shape(signature: etree._Element) -> tuple[etree._Element, etree._Element]:
    """Check the XML-DSig shape of what this module reads; return SignedInfo and SignatureValue.

    ``ds:Signature`` holds SignedInfo, SignatureValue, an optional KeyInfo and
    Objects, in that order; SignedInfo holds CanonicalizationMethod,
    SignatureMethod and References; a Reference holds optional Transforms,
    DigestMethod and DigestValue.  These elements carry only the attributes
    XML-DSig defines and no character data between their children (comments
    and processing instructions are allowed, as in any XML).
    """
    children = _element_children(signature, "ds:Signature")
    names = [c.tag for c in children]
    rest = names[2:]
    if rest[:1] == [DS_KEY_INFO]:
        rest = rest[1:]
    if names[:2] != [DS_SIGNED_INFO, DS_SIGNATURE_VALUE] or any(n != _DS_OBJECT for n in rest):
        raise SignatureError(
            "ds:Signature must hold SignedInfo, SignatureValue, then optionally KeyInfo and "
            f"Object elements, in that order; found {_local_names(children)}",
            reason="malformed",
        )
    signed_info, signature_value = children[0], children[1]
    for element in (signature, *children):
        if element.tag != _DS_OBJECT:
            _check_attributes(element)
    parts = _element_children(signed_info, "ds:SignedInfo")
    names = [c.tag for c in parts]
    if (
        names[:2] != [DS_C14N_METHOD, DS_SIGNATURE_METHOD]
        or len(names) < 3
        or any(n != DS_REFERENCE for n in names[2:])
    ):
        raise SignatureError(
            "ds:SignedInfo must hold CanonicalizationMethod, SignatureMethod, then one or more "
            f"Reference elements, in that order; found {_local_names(parts)}",
            reason="malformed",
        )
    _check_attributes(parts[0])
    _check_attributes(parts[1])
    for reference in parts[2:]:
        _check_attributes(reference)
        items = _element_children(reference, "ds:Reference")
        names = [c.tag for c in items]
        if names not in (
            [DS_DIGEST_METHOD, DS_DIGEST_VALUE],
            [DS_TRANSFORMS, DS_DIGEST_METHOD, DS_DIGEST_VALUE],
        ):
            raise SignatureError(
                "ds:Reference must hold an optional Transforms, then DigestMethod and "
                f"DigestValue; found {_local_names(items)}",
                reason="malformed",
            )
        for item in items:
            _check_attributes(item)
        if names[0] == DS_TRANSFORMS:
            transforms = _element_children(items[0], "ds:Transforms")
            if not transforms or any(t.tag != DS_TRANSFORM for t in transforms):
                raise SignatureError(
                    "ds:Transforms must hold one or more Transform elements; found "
                    f"{_local_names(transforms)}",
                    reason="malformed",
                )
            for transform in transforms:
                _check_attributes(transform)
    return signed_info, signature_value


def _element_children(node: etree._Element, where: str) -> list[etree._Element]:
    """The element children of *node*, whose content must be elements only."""
    if (node.text or "").strip(_XML_WHITESPACE):
        raise SignatureError(f"{where} holds character data", reason="malformed")
    found: list[etree._Element] = []
    for child in node:
        if (child.tail or "").strip(_XML_WHITESPACE):
            raise SignatureError(f"{where} holds character data", reason="malformed")
        if isinstance(child.tag, str):
            found.append(child)
        elif not isinstance(child, (etree._Comment, etree._ProcessingInstruction)):
            raise SignatureError(f"{where} holds an entity reference", reason="malformed")
    return found


def _check_attributes(element: etree._Element) -> None:
    allowed = _ALLOWED_ATTRIBUTES[str(element.tag)]
    for name, value in element.attrib.items():
        if name not in allowed:
            local = etree.QName(element).localname
            raise SignatureError(
                f"ds:{local} carries the attribute {name!r}, which XML-DSig does not define there",
                reason="malformed",
            )
        if name == "Id" and _NCNAME.fullmatch(value) is None:
            local = etree.QName(element).localname
            raise SignatureError(
                f"ds:{local} has an Id {value!r} that is not an XML name", reason="malformed"
            )


def _local_names(elements: list[etree._Element]) -> str:
    return "(" + ", ".join(etree.QName(e).localname for e in elements) + ")"


def single(parent: etree._Element, tag: str, where: str) -> etree._Element:
    found = parent.findall(tag)
    if len(found) != 1:
        local = etree.QName(tag).localname
        raise SignatureError(
            f"{where} must hold exactly one {local}, found {len(found)}", reason="malformed"
        )
    return found[0]
