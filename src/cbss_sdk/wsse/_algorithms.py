"""The XML-DSig algorithms the SDK signs and accepts, by short name and by URI.

Signing looks algorithms up by the short names a
:class:`~cbss_sdk.wsse.SigningProfile` uses (``"rsa-sha256"``); verification
looks them up by the URI found in a received ``ds:SignedInfo``.  Both go
through these tables, so an algorithm is either fully supported (name, URI,
hash, key type) or not at all.  SHA-1 entries are marked: the callers refuse
them unless SHA-1 was explicitly allowed.
"""

from __future__ import annotations

from typing import Final, Literal

import attrs
from cryptography.hazmat.primitives import hashes

KeyKind = Literal["rsa", "ec"]


@attrs.frozen
class SignatureAlgorithm:
    """One signature method: its short name, URI, hash and the key type it needs."""

    name: str
    uri: str
    hash_factory: type[hashes.HashAlgorithm]
    key_kind: KeyKind

    @property
    def is_sha1(self) -> bool:
        return self.hash_factory is hashes.SHA1


@attrs.frozen
class DigestAlgorithm:
    """One digest method: its short name, URI and the :mod:`hashlib` name computing it."""

    name: str
    uri: str
    hashlib_name: str

    @property
    def is_sha1(self) -> bool:
        return self.hashlib_name == "sha1"


_XMLDSIG_MORE = "http://www.w3.org/2001/04/xmldsig-more#"
_XMLENC = "http://www.w3.org/2001/04/xmlenc#"
_XMLDSIG = "http://www.w3.org/2000/09/xmldsig#"

SIGNATURE_ALGORITHMS: Final[dict[str, SignatureAlgorithm]] = {
    a.name: a
    for a in (
        SignatureAlgorithm("rsa-sha1", _XMLDSIG + "rsa-sha1", hashes.SHA1, "rsa"),
        SignatureAlgorithm("rsa-sha256", _XMLDSIG_MORE + "rsa-sha256", hashes.SHA256, "rsa"),
        SignatureAlgorithm("rsa-sha384", _XMLDSIG_MORE + "rsa-sha384", hashes.SHA384, "rsa"),
        SignatureAlgorithm("rsa-sha512", _XMLDSIG_MORE + "rsa-sha512", hashes.SHA512, "rsa"),
        SignatureAlgorithm("ecdsa-sha256", _XMLDSIG_MORE + "ecdsa-sha256", hashes.SHA256, "ec"),
        SignatureAlgorithm("ecdsa-sha384", _XMLDSIG_MORE + "ecdsa-sha384", hashes.SHA384, "ec"),
        SignatureAlgorithm("ecdsa-sha512", _XMLDSIG_MORE + "ecdsa-sha512", hashes.SHA512, "ec"),
    )
}

DIGEST_ALGORITHMS: Final[dict[str, DigestAlgorithm]] = {
    a.name: a
    for a in (
        DigestAlgorithm("sha1", _XMLDSIG + "sha1", "sha1"),
        DigestAlgorithm("sha256", _XMLENC + "sha256", "sha256"),
        DigestAlgorithm("sha384", _XMLDSIG_MORE + "sha384", "sha384"),
        DigestAlgorithm("sha512", _XMLENC + "sha512", "sha512"),
    )
}

SIGNATURE_ALGORITHMS_BY_URI: Final = {a.uri: a for a in SIGNATURE_ALGORITHMS.values()}
DIGEST_ALGORITHMS_BY_URI: Final = {a.uri: a for a in DIGEST_ALGORITHMS.values()}

#: Short name -> URI of the canonicalisation methods a profile may choose.
C14N_ALGORITHMS: Final[dict[str, str]] = {
    "exclusive": "http://www.w3.org/2001/10/xml-exc-c14n#",
}

#: Canonicalisation URIs accepted in a received signature (SignedInfo and
#: reference transforms): exclusive and inclusive, with or without comments.
#: Every one of them is a faithful serialisation of the signed nodes; none
#: lets a signer sign less than the element it points at.
ACCEPTED_C14N_URIS: Final[frozenset[str]] = frozenset(
    {
        "http://www.w3.org/2001/10/xml-exc-c14n#",
        "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
        "http://www.w3.org/2006/12/xml-c14n11",
        "http://www.w3.org/2006/12/xml-c14n11#WithComments",
    }
)
