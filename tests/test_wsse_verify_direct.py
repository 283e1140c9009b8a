"""The direct verifier against independent XML-DSig implementations.

``verify_envelope`` checks digests and signature values itself, on the tree in
place (lxml canonicalisation, hashlib, cryptography).  These tests hold it to
two independent verifiers:

* signxml's ``XMLVerifier`` (which re-serialises and re-parses everything):
  hypothesis builds envelopes signed by our signer, by signxml's
  ``XMLSigner`` and by ``xmlsec1``, in various namespace prefix layouts, with
  InclusiveNamespaces, SHA-1/256/384/512, RSA and ECDSA, white space and
  comments, then tampers with them (text, attribute, namespace prefix,
  moved element, comment, digest and signature bytes); both verifiers must
  accept or refuse together;
* ``xmlsec1 --sign``: envelopes it signs with every accepted canonicalisation
  method are accepted.

signxml is not right everywhere; there it is shown an equivalent message, or
replaced by xmlsec1:

* a same-document ``#id`` reference never covers comments (XML-DSig 4.3.3.3;
  xmlsec1 and Apache Santuario agree), even under a ``#WithComments``
  transform, while signxml digests them: it is shown the message without
  the comments inside such references;
* signxml re-parses each referenced element with the text that follows it,
  and fails on text there: that text (outside every signed element) is
  removed first;
* lxml, hence signxml, drops ``#default`` from an InclusiveNamespaces
  PrefixList: messages using it are judged by ``xmlsec1 --verify``, whose
  shape checks are looser than the schema's, so the ds:Signature itself is
  left untouched there.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree
from signxml.algorithms import CanonicalizationMethod, SignatureConstructionMethod
from signxml.algorithms import DigestAlgorithm as SxDigest
from signxml.algorithms import SignatureMethod as SxSignature
from signxml.signer import SignatureReference, XMLSigner
from signxml.verifier import SignatureConfiguration, XMLVerifier

from cbss_sdk._credentials import Credentials
from cbss_sdk.errors import SignatureError
from cbss_sdk.testing import GeneratedCertificate, make_test_ca, make_test_certificate
from cbss_sdk.wsse import SigningProfile, VerificationConfig, sign_envelope, verify_envelope
from cbss_sdk.wsse._algorithms import DIGEST_ALGORITHMS, SIGNATURE_ALGORITHMS

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DS = "http://www.w3.org/2000/09/xmldsig#"
EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"
C14N10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N11 = "http://www.w3.org/2006/12/xml-c14n11"
WITH_COMMENTS = "WithComments"
EXC_WC = EXC + WITH_COMMENTS
C14N10_WC = C14N10 + "#" + WITH_COMMENTS
C14N11_WC = C14N11 + "#" + WITH_COMMENTS
PAYLOAD = "urn:cbss-sdk:test:direct"
X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
BASE64 = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)
NS = {"soapenv": SOAP, "wsse": WSSE, "wsu": WSU, "ds": DS}
XMLSEC1 = shutil.which("xmlsec1")
needs_xmlsec1 = pytest.mark.skipif(
    XMLSEC1 is None, reason="the xmlsec1 command line (libxmlsec1) is not installed on PATH"
)

#: (signature algorithm, digest algorithm) pairs, by the SDK's short names.
RSA_PAIRS = [
    ("rsa-sha256", "sha256"),
    ("rsa-sha384", "sha384"),
    ("rsa-sha512", "sha512"),
    ("rsa-sha1", "sha1"),
    ("rsa-sha256", "sha512"),
]
EC_PAIRS = [("ecdsa-sha256", "sha256"), ("ecdsa-sha512", "sha256")]
#: Text without ':' so that renaming a prefix in the serialised message touches markup only.
TEXT = st.text(alphabet="ab Z09\n\t\r&<>\"'é€", max_size=12)


# -- keys and time --------------------------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    leaf: GeneratedCertificate
    credentials: Credentials
    key_type: str

    def __repr__(self) -> str:
        return f"Signer({self.key_type})"

    @property
    def certificate(self) -> x509.Certificate:
        return self.credentials.certificate

    @property
    def certificate_base64(self) -> str:
        return base64.b64encode(self.certificate.public_bytes(Encoding.DER)).decode("ascii")


@pytest.fixture(scope="session")
def signers(test_leaf: GeneratedCertificate, test_credentials: Credentials) -> dict[str, Signer]:
    """The RSA test credentials and EC ones (session-wide: their signing templates stay cached)."""
    ec_leaf = make_test_certificate(
        "CN=cbss-sdk direct verifier EC", issuer=make_test_ca(), key_label="ec", key_type="ec"
    )
    return {
        "rsa": Signer(test_leaf, test_credentials, "rsa"),
        "ec": Signer(ec_leaf, ec_leaf.credentials(), "ec"),
    }


@pytest.fixture(scope="module")
def now(test_credentials: Credentials) -> datetime:
    return test_credentials.not_valid_before + timedelta(hours=30, milliseconds=250)


def z(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- the two verifiers ----------------------------------------------------------------------


def ours(document: bytes, signer: Signer, now: datetime) -> str:
    """``"ok"`` or the reason our verifier refuses the message."""
    config = VerificationConfig(pinned_certificate=signer.certificate, allow_sha1=True)
    try:
        verify_envelope(etree.fromstring(document), config, now=now)
    except SignatureError as error:
        return error.reason
    return "ok"


def signxml_accepts(document: bytes, signer: Signer, now: datetime) -> bool:
    """signxml's verdict, with every algorithm the SDK accepts allowed, the key given."""
    tree = etree.fromstring(document)
    _strip_comments_under_comment_transforms(tree)
    _drop_text_after_signed_elements(tree)
    references = tree.xpath(
        "/soapenv:Envelope/soapenv:Header/wsse:Security/ds:Signature/ds:SignedInfo/ds:Reference",
        namespaces=NS,
    )
    assert isinstance(references, list)
    expect = SignatureConfiguration(
        location=f"./{{{SOAP}}}Header/{{{WSSE}}}Security/",
        expect_references=len(references),
        signature_methods=frozenset(SxSignature(a.uri) for a in SIGNATURE_ALGORITHMS.values()),
        digest_algorithms=frozenset(SxDigest(a.uri) for a in DIGEST_ALGORITHMS.values()),
        verification_time=now,
    )
    try:
        XMLVerifier().verify(tree, x509_cert=signer.certificate, expect_config=expect)
    except Exception:  # any refusal, whatever signxml raises
        return False
    return True


def _strip_comments_under_comment_transforms(tree: etree._Element) -> None:
    """Remove the comments signxml would digest and XML-DSig does not (see the module doc)."""
    for transform in tree.iter(f"{{{DS}}}Transform"):
        if not (transform.get("Algorithm") or "").endswith(WITH_COMMENTS):
            continue
        reference = transform.getparent().getparent()  # type: ignore[union-attr]
        uri = (reference.get("URI") or "")[1:] if reference is not None else ""
        targets = tree.xpath("//*[@*[local-name()='Id'] = $v]", v=uri)
        assert isinstance(targets, list)
        for target in targets:
            assert isinstance(target, etree._Element)
            for comment in list(target.iter(etree.Comment)):
                _remove_keeping_tail(comment)


def _drop_text_after_signed_elements(tree: etree._Element) -> None:
    """Remove character data right after an element carrying an id (or the Signature).

    It lies outside the element, so no verifier should care; but signxml
    serialises each referenced element *with* what follows it and parses that
    again, which fails on text.
    """
    holders = tree.xpath("//*[@*[local-name()='Id'] or self::ds:Signature]", namespaces=NS)
    assert isinstance(holders, list)
    for holder in holders:
        assert isinstance(holder, etree._Element)
        if (holder.tail or "").strip():
            holder.tail = None


def _remove_keeping_tail(node: etree._Element) -> None:
    parent = node.getparent()
    assert parent is not None
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + (node.tail or "")
    else:
        parent.text = (parent.text or "") + (node.tail or "")
    parent.remove(node)


# -- envelopes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where the namespaces are declared, with which prefixes, and what white space is kept."""

    soap: str = "soapenv"
    wsse: str = "wsse"
    wsu: str = "wsu"
    ds: str | None = "ds"
    wsu_on_envelope: bool = False
    payload_prefix: str | None = None
    payload_ns_on_envelope: bool = False
    unused_ns_on_envelope: bool = False
    indent: str = ""
    texts: tuple[str, ...] = ("hello",)
    body_comments: bool = False
    header_note: bool = False
    #: A prefixed element redeclaring the default namespace, and an undeclaration, in the Body.
    nested_defaults: bool = False


LAYOUTS = st.builds(
    Layout,
    soap=st.sampled_from(["soapenv", "s", "SOAP-ENV", "env"]),
    wsse=st.sampled_from(["wsse", "o", "sec"]),
    wsu=st.sampled_from(["wsu", "u", "util"]),
    ds=st.sampled_from(["ds", None, "sig", "t"]),
    wsu_on_envelope=st.booleans(),
    payload_prefix=st.sampled_from([None, "t", "p1", "data"]),
    payload_ns_on_envelope=st.booleans(),
    unused_ns_on_envelope=st.booleans(),
    indent=st.sampled_from(["", "\n", "\n  ", "\r\n\t"]),
    texts=st.lists(TEXT, min_size=1, max_size=3).map(tuple),
    body_comments=st.booleans(),
    header_note=st.booleans(),
    nested_defaults=st.booleans(),
)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _q(prefix: str | None, local: str) -> str:
    return f"{prefix}:{local}" if prefix else local


def _xmlns(prefix: str | None, uri: str) -> str:
    return f' xmlns:{prefix}="{uri}"' if prefix else f' xmlns="{uri}"'


def envelope_text(
    layout: Layout,
    *,
    security: str | None,
    signature: str = "",
    now: datetime | None = None,
    certificate_base64: str = "",
) -> str:
    """The envelope as text; *security* ``None`` leaves the Header without a Security header."""
    i = layout.indent
    s, wu = layout.soap, layout.wsu
    pp = layout.payload_prefix
    envelope_ns = _xmlns(s, SOAP)
    if layout.wsu_on_envelope:
        envelope_ns += _xmlns(wu, WSU)
    if layout.unused_ns_on_envelope:
        envelope_ns += ' xmlns:x="urn:unused"'
    payload_decl = _xmlns(pp, PAYLOAD)
    if layout.payload_ns_on_envelope:
        envelope_ns += payload_decl
        payload_decl = ""
    local_wsu = "" if layout.wsu_on_envelope else _xmlns(wu, WSU)
    note = f'<h:Note xmlns:h="urn:h">unsigned<!--n--></h:Note>{i}' if layout.header_note else ""
    header = f"<{s}:Header>{i}{note}"
    if security is not None:
        assert now is not None
        w = layout.wsse
        header += (
            f'<{w}:Security{_xmlns(w, WSSE)}{local_wsu} {s}:mustUnderstand="1">{i}'
            f'<{w}:BinarySecurityToken {wu}:Id="X509-1" ValueType="{X509V3}" '
            f'EncodingType="{BASE64}">{certificate_base64}</{w}:BinarySecurityToken>{i}'
            f'<{wu}:Timestamp {wu}:Id="TS-1">{i}<{wu}:Created>{z(now - timedelta(seconds=1))}'
            f"</{wu}:Created>{i}<{wu}:Expires>{z(now + timedelta(minutes=5))}</{wu}:Expires>{i}"
            f"</{wu}:Timestamp>{i}{signature}</{w}:Security>{i}"
        )
    header += f"</{s}:Header>{i}"
    lines = "".join(
        f"{i}<{_q(pp, 'line')}>{_escape(text)}</{_q(pp, 'line')}>"
        + ("<!-- c -->" if layout.body_comments else "")
        for text in layout.texts
    )
    if layout.nested_defaults:
        lines += (
            f'{i}<n:inner xmlns:n="urn:n" xmlns="urn:other">{i}<leaf>v</leaf>'
            f'<n:plain xmlns="">w<bare/></n:plain></n:inner>'
        )
    body = (
        f'<{s}:Body {wu}:Id="Body-1"{local_wsu}>{i}'
        f"<{_q(pp, 'payload')}{payload_decl}>{lines}{i}</{_q(pp, 'payload')}>{i}</{s}:Body>"
    )
    return f"<{s}:Envelope{envelope_ns}>{i}{header}{body}</{s}:Envelope>"


def security_of(tree: etree._Element) -> etree._Element:
    found = tree.xpath("/soapenv:Envelope/soapenv:Header/wsse:Security", namespaces=NS)
    assert isinstance(found, list) and len(found) == 1
    element = found[0]
    assert isinstance(element, etree._Element)
    return element


# -- signed by our signer -------------------------------------------------------------------


@st.composite
def ours_signed(draw: st.DrawFn, signers: dict[str, Signer], now: datetime) -> tuple[bytes, Signer]:
    layout = draw(LAYOUTS)
    key_type = draw(st.sampled_from(["rsa", "rsa", "ec"]))
    algorithm, digest = draw(st.sampled_from(RSA_PAIRS if key_type == "rsa" else EC_PAIRS))
    profile = SigningProfile(
        signature_algorithm=algorithm,
        digest_algorithm=digest,
        allow_sha1=True,
        sign_binary_security_token=draw(st.booleans()),
    )
    signer = signers[key_type]
    tree = etree.fromstring(envelope_text(layout, security=None))
    sign_envelope(tree, signer.credentials, profile, now=now)
    return etree.tostring(tree), signer


# -- signed by signxml ----------------------------------------------------------------------


@st.composite
def signxml_signed(
    draw: st.DrawFn, signers: dict[str, Signer], now: datetime
) -> tuple[bytes, Signer]:
    layout = draw(LAYOUTS)
    key_type = draw(st.sampled_from(["rsa", "rsa", "ec"]))
    pairs = [p for p in (RSA_PAIRS if key_type == "rsa" else EC_PAIRS) if "sha1" not in p]
    algorithm, digest = draw(st.sampled_from(pairs))
    signer = signers[key_type]
    reference_c14n = draw(st.sampled_from([EXC, EXC_WC, C14N10, C14N10_WC, C14N11, C14N11_WC]))
    if reference_c14n.endswith(WITH_COMMENTS):
        # signxml would digest them; XML-DSig does not (see the module docstring).
        layout = replace(layout, body_comments=False)
    prefixes = None
    if reference_c14n.startswith(EXC):
        chosen = draw(
            st.lists(
                # Not "#default": lxml drops it, so signxml signs without it.
                st.sampled_from([layout.soap, layout.wsu, layout.wsse, "x", "t"]),
                unique=True,
                max_size=3,
            )
        )
        prefixes = chosen or None
    tree = etree.fromstring(
        envelope_text(layout, security="", now=now, certificate_base64=signer.certificate_base64)
    )
    signxml_signer = XMLSigner(
        method=SignatureConstructionMethod.detached,
        signature_algorithm=SIGNATURE_ALGORITHMS[algorithm].uri,
        digest_algorithm=DIGEST_ALGORITHMS[digest].uri,
        c14n_algorithm=draw(st.sampled_from([EXC, EXC_WC])),
    )
    signxml_signer.namespaces = {layout.ds: DS}  # type: ignore[dict-item]
    key_info = etree.fromstring(
        f'<ds:KeyInfo xmlns:ds="{DS}"><o:SecurityTokenReference xmlns:o="{WSSE}">'
        f'<o:Reference URI="#X509-1" ValueType="{X509V3}"/></o:SecurityTokenReference>'
        "</ds:KeyInfo>"
    )
    references = [
        SignatureReference(
            URI=uri,
            c14n_method=CanonicalizationMethod(reference_c14n),
            inclusive_ns_prefixes=prefixes,
        )
        for uri in ("#Body-1", "#TS-1")
    ]
    signature = signxml_signer.sign(
        tree, key=signer.credentials.private_key, reference_uri=references, key_info=key_info
    )
    security_of(tree).append(signature)
    return etree.tostring(tree), signer


# -- signed by xmlsec1 ----------------------------------------------------------------------


@dataclass(frozen=True)
class Xmlsec1Case:
    signed_info_c14n: str = EXC
    reference_c14n: str | None = EXC  # None: no Transforms (the XML-DSig default applies)
    prefixes: str | None = None  # an InclusiveNamespaces PrefixList, on every exclusive method
    algorithm: str = "rsa-sha256"
    digest: str = "sha256"
    key_type: str = "rsa"
    sign_token: bool = False
    layout: Layout = Layout()


XMLSEC1_CASES = {
    "exclusive": Xmlsec1Case(),
    "exclusive-prefix-list": Xmlsec1Case(
        prefixes="soapenv wsu #default",
        layout=Layout(payload_ns_on_envelope=True, nested_defaults=True),
    ),
    "exclusive-prefix-list-prefixed": Xmlsec1Case(
        prefixes="#default t x",
        layout=Layout(payload_prefix="t", payload_ns_on_envelope=True, nested_defaults=True),
    ),
    "exclusive-with-comments": Xmlsec1Case(
        signed_info_c14n=EXC_WC,
        reference_c14n=EXC_WC,
        layout=Layout(body_comments=True, header_note=True),
    ),
    "inclusive-1.0": Xmlsec1Case(
        signed_info_c14n=C14N10,
        reference_c14n=C14N10,
        layout=Layout(soap="s", wsu="u", wsu_on_envelope=True, unused_ns_on_envelope=True),
    ),
    "inclusive-1.0-with-comments": Xmlsec1Case(
        signed_info_c14n=C14N10_WC,
        reference_c14n=C14N10_WC,
        layout=Layout(body_comments=True, indent="\n  "),
    ),
    "inclusive-1.1": Xmlsec1Case(
        signed_info_c14n=C14N11,
        reference_c14n=C14N11_WC,
        layout=Layout(payload_prefix="t", payload_ns_on_envelope=True),
    ),
    "no-transforms": Xmlsec1Case(reference_c14n=None, layout=Layout(indent="\n")),
    "sha512-token-signed": Xmlsec1Case(algorithm="rsa-sha512", digest="sha512", sign_token=True),
    "sha1": Xmlsec1Case(algorithm="rsa-sha1", digest="sha1"),
    "ecdsa": Xmlsec1Case(algorithm="ecdsa-sha256", key_type="ec", layout=Layout(ds=None)),
    "pretty-printed-default-namespaces": Xmlsec1Case(
        layout=Layout(ds=None, indent="\r\n\t", texts=("  a  ", "", "é & <b>"), body_comments=True)
    ),
}


def _xmlsec1_signature(case: Xmlsec1Case) -> str:
    ds = case.layout.ds
    d = (lambda local: f"{ds}:{local}") if ds else (lambda local: local)
    w = case.layout.wsse

    def method(tag: str, uri: str) -> str:
        inner = ""
        if case.prefixes is not None and uri.startswith(EXC):
            inner = f'<ec:InclusiveNamespaces xmlns:ec="{EXC}" PrefixList="{case.prefixes}"/>'
        return f'<{d(tag)} Algorithm="{uri}">{inner}</{d(tag)}>'

    def reference(uri: str) -> str:
        transforms = ""
        if case.reference_c14n is not None:
            transforms = (
                f"<{d('Transforms')}>{method('Transform', case.reference_c14n)}</{d('Transforms')}>"
            )
        return (
            f'<{d("Reference")} URI="#{uri}">{transforms}'
            f'<{d("DigestMethod")} Algorithm="{DIGEST_ALGORITHMS[case.digest].uri}"/>'
            f"<{d('DigestValue')}/></{d('Reference')}>"
        )

    comment = "<!-- in SignedInfo -->" if case.signed_info_c14n.endswith(WITH_COMMENTS) else ""
    targets = ["Body-1", "TS-1"] + (["X509-1"] if case.sign_token else [])
    return (
        f"<{d('Signature')}{_xmlns(ds, DS)}><{d('SignedInfo')}>{comment}"
        f"{method('CanonicalizationMethod', case.signed_info_c14n)}"
        f'<{d("SignatureMethod")} Algorithm="{SIGNATURE_ALGORITHMS[case.algorithm].uri}"/>'
        + "".join(reference(t) for t in targets)
        + f"</{d('SignedInfo')}><{d('SignatureValue')}/><{d('KeyInfo')}>"
        f'<{w}:SecurityTokenReference><{w}:Reference URI="#X509-1" ValueType="{X509V3}"/>'
        f"</{w}:SecurityTokenReference></{d('KeyInfo')}></{d('Signature')}>"
    )


def xmlsec1_sign(case: Xmlsec1Case, signer: Signer, now: datetime, directory: Path) -> bytes:
    assert XMLSEC1 is not None
    template = directory / "template.xml"
    template.write_text(
        envelope_text(
            case.layout,
            security="",
            signature=_xmlsec1_signature(case),
            now=now,
            certificate_base64=signer.certificate_base64,
        ),
        encoding="utf-8",
    )
    key = directory / f"{signer.key_type}-key.pem"
    key.write_bytes(signer.leaf.private_key_pem)
    output = directory / "signed.xml"
    command = [XMLSEC1, "--sign", "--privkey-pem", str(key), "--output", str(output)]
    for element in (f"{SOAP}:Body", f"{WSU}:Timestamp", f"{WSSE}:BinarySecurityToken"):
        command += ["--id-attr:Id", element]
    run = subprocess.run(
        [*command, str(template)], capture_output=True, text=True, timeout=30, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return output.read_bytes()


class Xmlsec1Verifier:
    """``xmlsec1 --verify`` with the signer's certificate: the oracle where signxml cannot be.

    lxml (so signxml) drops ``#default`` from an InclusiveNamespaces PrefixList;
    xmlsec1 honours it.
    """

    def __init__(self, directory: Path, signers: dict[str, Signer]) -> None:
        self.directory = directory
        self.count = 0
        for signer in signers.values():
            (directory / f"{signer.key_type}.pem").write_bytes(signer.leaf.certificate_pem)
            (directory / f"{signer.key_type}-ca.pem").write_bytes(
                b"".join(c.public_bytes(Encoding.PEM) for c in signer.leaf.chain)
            )

    def accepts(self, document: bytes, signer: Signer) -> bool:
        assert XMLSEC1 is not None
        self.count += 1
        path = self.directory / f"verify-{self.count}.xml"
        path.write_bytes(document)
        command = [
            XMLSEC1,
            "--verify",
            "--pubkey-cert-pem",
            str(self.directory / f"{signer.key_type}.pem"),
            "--trusted-pem",
            str(self.directory / f"{signer.key_type}-ca.pem"),
        ]
        for element in (f"{SOAP}:Body", f"{WSU}:Timestamp", f"{WSSE}:BinarySecurityToken"):
            command += ["--id-attr:Id", element]
        run = subprocess.run(
            [*command, str(path)], capture_output=True, text=True, timeout=30, check=False
        )
        return run.returncode == 0


@pytest.fixture(scope="module")
def xmlsec1_verifier(
    tmp_path_factory: pytest.TempPathFactory, signers: dict[str, Signer]
) -> Xmlsec1Verifier:
    if XMLSEC1 is None:
        pytest.skip("the xmlsec1 command line (libxmlsec1) is not installed on PATH")
    return Xmlsec1Verifier(tmp_path_factory.mktemp("xmlsec1-verify"), signers)


class SignedCases(dict[str, tuple[bytes, Signer]]):
    """The xmlsec1-signed messages by case name (with a short repr for hypothesis reports)."""

    def __repr__(self) -> str:
        return f"SignedCases({sorted(self)})"


@pytest.fixture(scope="module")
def xmlsec1_signed(
    tmp_path_factory: pytest.TempPathFactory, signers: dict[str, Signer], now: datetime
) -> dict[str, tuple[bytes, Signer]]:
    if XMLSEC1 is None:
        pytest.skip("the xmlsec1 command line (libxmlsec1) is not installed on PATH")
    directory = tmp_path_factory.mktemp("xmlsec1-signed")
    signed = SignedCases()
    for name, case in XMLSEC1_CASES.items():
        signer = signers[case.key_type]
        signed[name] = (xmlsec1_sign(case, signer, now, directory), signer)
    return signed


# -- tampering ------------------------------------------------------------------------------

#: Elements whose change our verifier judges by WS-Security rules signxml does not know
#: (which key, which token, where the signed parts sit): left alone by the tampering.
KEY_PATH = {
    f"{{{WSSE}}}BinarySecurityToken",
    f"{{{WSSE}}}SecurityTokenReference",
    f"{{{WSSE}}}Reference",
}
NOT_MOVED = KEY_PATH | {
    f"{{{SOAP}}}Envelope",
    f"{{{SOAP}}}Header",
    f"{{{SOAP}}}Body",
    f"{{{WSSE}}}Security",
    f"{{{WSU}}}Timestamp",
    f"{{{DS}}}Signature",
    f"{{{DS}}}KeyInfo",
}
#: Where a comment would make our freshness check (which reads the Created/Expires text
#: up to the first comment) or token check refuse a message signxml accepts: safe, tested
#: elsewhere.  signxml reads a SignatureValue up to its first comment; we read it all.
NO_COMMENT = KEY_PATH | {
    f"{{{WSU}}}Created",
    f"{{{WSU}}}Expires",
    f"{{{DS}}}SignatureValue",
}

#: "none" last: hypothesis favours the first choices.
TAMPERINGS = ["text", "attribute", "prefix", "move", "comment", "digest", "signature", "none"]


def _elements(tree: etree._Element) -> list[etree._Element]:
    return [e for e in tree.iter() if isinstance(e.tag, str)]


def _mutate(draw: st.DrawFn, text: str) -> str:
    index = draw(st.integers(0, len(text)))
    new = draw(st.sampled_from(["a", "Z", " ", "\n", "é", ""]))
    cut = draw(st.integers(0, 1)) if index < len(text) else 0
    changed = text[:index] + new + text[index + cut :]
    return changed if changed != text else text + "x"


def _flip_base64(draw: st.DrawFn, text: str) -> str:
    positions = [i for i, c in enumerate(text) if c not in "= \t\r\n"]
    index = draw(st.sampled_from(positions))
    replacement = draw(st.sampled_from([c for c in "AQgw+/9z" if c != text[index]]))
    return text[:index] + replacement + text[index + 1 :]


@st.composite
def tampered(
    draw: st.DrawFn, document: bytes, *, spare_signature: bool = False
) -> tuple[str, bytes]:
    """One tampering of *document* (or none), and the serialised result.

    *spare_signature* keeps the ds:Signature's own elements out of reach (but for
    digest and signature bytes) and adds no ``Id`` attribute: xmlsec1 does not
    check the signature's shape as strictly as the XML-DSig schema (and signxml,
    and we) do, and resolves only the id attributes it is told.
    """
    kind = draw(st.sampled_from(TAMPERINGS))
    if kind == "prefix":
        return kind, _rename_prefix(draw, document)
    tree = etree.fromstring(document)
    elements = _elements(tree)
    if spare_signature:
        inside = set(tree.iter(f"{{{DS}}}Signature"))
        for signature in inside.copy():
            inside.update(signature.iter())
        elements = [e for e in elements if e not in inside]
    if kind == "text":
        target = draw(st.sampled_from(elements))
        if target.tag in KEY_PATH or draw(st.booleans()):
            if target.getparent() is not None:
                target.tail = _mutate(draw, target.tail or "")
        else:
            target.text = _mutate(draw, target.text or "")
    elif kind == "attribute":
        target = draw(st.sampled_from([e for e in elements if e.tag not in KEY_PATH]))
        names = list(target.attrib)
        action = draw(st.sampled_from(["add", "change", "remove"] if names else ["add"]))
        if action == "add":
            # xmlsec1 knows only the id attributes it is told (wsu:Id): a bare Id
            # duplicating one is ambiguous to signxml and to our coverage check only.
            names_to_add = ["a", "{urn:x}b"] if spare_signature else ["a", "{urn:x}b", "Id", "URI"]
            name = draw(st.sampled_from(names_to_add))
            target.set(name, draw(st.sampled_from(["1", "Body-1", "#x", ""])))
        elif action == "change":
            name = draw(st.sampled_from(names))
            target.set(name, _mutate(draw, target.get(name) or ""))
        else:
            del target.attrib[draw(st.sampled_from(names))]
    elif kind == "move":
        movable = [e for e in elements if e.tag not in NOT_MOVED]
        moved = draw(st.sampled_from(movable))
        outside = [e for e in elements if e is not moved and moved not in e.iterancestors()]
        outside = [e for e in outside if e.tag not in KEY_PATH]
        parent = draw(st.sampled_from(outside))
        parent.insert(draw(st.integers(0, len(parent))), moved)
    elif kind == "comment":
        target = draw(st.sampled_from([e for e in elements if e.tag not in NO_COMMENT]))
        target.insert(draw(st.integers(0, len(target))), etree.Comment(" inserted "))
    elif kind in ("digest", "signature"):
        tag = "DigestValue" if kind == "digest" else "SignatureValue"
        target = draw(st.sampled_from(list(tree.iter(f"{{{DS}}}{tag}"))))
        target.text = _flip_base64(draw, target.text or "")
    return kind, etree.tostring(tree)


_DECLARED_PREFIX = re.compile(rb"xmlns:([A-Za-z_][\w.-]*)=")


def _rename_prefix(draw: st.DrawFn, document: bytes) -> bytes:
    """Rename one declared prefix everywhere in the serialised message (same namespaces)."""
    prefixes = sorted(set(_DECLARED_PREFIX.findall(document)))
    old = draw(st.sampled_from(prefixes))
    new = old + b"2"
    assert new not in prefixes
    renamed = re.sub(rb"(?<=[<\s/])" + re.escape(old) + rb":(?=[A-Za-z_])", new + b":", document)
    return renamed.replace(b"xmlns:" + old + b"=", b"xmlns:" + new + b"=")


# -- the differential properties ------------------------------------------------------------

DIFFERENTIAL = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def agree(
    kind: str,
    document: bytes,
    signer: Signer,
    now: datetime,
    xmlsec1: Xmlsec1Verifier | None = None,
) -> None:
    verdict = ours(document, signer, now)
    if b"#default" in document:
        assert xmlsec1 is not None
        name, reference = "xmlsec1", xmlsec1.accepts(document, signer)
    else:
        name, reference = "signxml", signxml_accepts(document, signer, now)
    assert (verdict == "ok") == reference, (
        f"after tampering {kind!r}: ours says {verdict!r}, {name} "
        f"{'accepts' if reference else 'refuses'}\n{document.decode()}"
    )
    event(f"{kind}: {'accepted' if reference else 'refused'} by both")
    if kind == "none":
        assert verdict == "ok"


@DIFFERENTIAL
@given(data=st.data())
def test_our_signatures_verify_like_signxml(
    signers: dict[str, Signer], now: datetime, data: st.DataObject
) -> None:
    document, signer = data.draw(ours_signed(signers, now), label="signed")
    kind, changed = data.draw(tampered(document), label="tampered")
    agree(kind, changed, signer, now)


@DIFFERENTIAL
@given(data=st.data())
def test_signxml_signatures_verify_like_signxml(
    signers: dict[str, Signer], now: datetime, data: st.DataObject
) -> None:
    document, signer = data.draw(signxml_signed(signers, now), label="signed")
    kind, changed = data.draw(tampered(document), label="tampered")
    agree(kind, changed, signer, now)


@needs_xmlsec1
@DIFFERENTIAL
@given(data=st.data())
def test_xmlsec1_signatures_verify_like_signxml(
    xmlsec1_signed: dict[str, tuple[bytes, Signer]],
    xmlsec1_verifier: Xmlsec1Verifier,
    now: datetime,
    data: st.DataObject,
) -> None:
    name = data.draw(st.sampled_from(sorted(xmlsec1_signed)), label="case")
    document, signer = xmlsec1_signed[name]
    spare = b"#default" in document  # xmlsec1 is the oracle there (see agree)
    kind, changed = data.draw(tampered(document, spare_signature=spare), label="tampered")
    agree(kind, changed, signer, now, xmlsec1_verifier)


ALL_C14N = [EXC, EXC_WC, C14N10, C14N10_WC, C14N11, C14N11_WC]
XMLSEC1_GENERATED = st.builds(
    Xmlsec1Case,
    signed_info_c14n=st.sampled_from(ALL_C14N),
    reference_c14n=st.sampled_from([None, *ALL_C14N]),
    prefixes=st.sampled_from([None, "#default", "soapenv u", "#default s t x", "wsse ds sig"]),
    sign_token=st.booleans(),
    layout=LAYOUTS,
)


@needs_xmlsec1
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=XMLSEC1_GENERATED)
def test_any_xmlsec1_signed_layout_is_accepted(
    tmp_path_factory: pytest.TempPathFactory,
    signers: dict[str, Signer],
    now: datetime,
    case: Xmlsec1Case,
) -> None:
    signer = signers[case.key_type]
    document = xmlsec1_sign(case, signer, now, tmp_path_factory.mktemp("layout"))
    assert ours(document, signer, now) == "ok", document.decode()


# -- xmlsec1-signed messages are accepted ---------------------------------------------------


@needs_xmlsec1
@pytest.mark.parametrize("name", sorted(XMLSEC1_CASES))
def test_xmlsec1_signed_message_is_accepted(
    name: str, xmlsec1_signed: dict[str, tuple[bytes, Signer]], now: datetime
) -> None:
    document, signer = xmlsec1_signed[name]
    case = XMLSEC1_CASES[name]
    config = VerificationConfig(pinned_certificate=signer.certificate, allow_sha1=True)
    result = verify_envelope(etree.fromstring(document), config, now=now)
    assert result is not None
    expected = ("Body", "Timestamp") + (("BinarySecurityToken",) if case.sign_token else ())
    assert result.signed_parts == expected
    assert (result.algorithm, result.digest_algorithm) == (case.algorithm, case.digest)


@needs_xmlsec1
def test_comments_in_a_with_comments_reference_are_not_signed(
    xmlsec1_signed: dict[str, tuple[bytes, Signer]], now: datetime
) -> None:
    """xmlsec1 digests an ``#id`` reference without its comments even under #WithComments."""
    document, signer = xmlsec1_signed["exclusive-with-comments"]
    assert b"<!-- c -->" in document
    config = VerificationConfig(pinned_certificate=signer.certificate)
    changed = document.replace(b"<!-- c -->", b"<!-- another comment -->")
    assert verify_envelope(etree.fromstring(changed), config, now=now) is not None
    in_signed_info = document.replace(b"<!-- in SignedInfo -->", b"<!-- changed -->")
    with pytest.raises(SignatureError) as caught:
        verify_envelope(etree.fromstring(in_signed_info), config, now=now)
    assert caught.value.reason == "invalid"


# -- details of the direct check ------------------------------------------------------------


@pytest.fixture
def signed_default(
    make_envelope: Callable[..., etree._Element], test_credentials: Credentials, now: datetime
) -> etree._Element:
    envelope = make_envelope()
    sign_envelope(envelope, test_credentials, now=now)
    return etree.fromstring(etree.tostring(envelope))


def _verdict(envelope: etree._Element, test_credentials: Credentials, now: datetime) -> str:
    config = VerificationConfig(pinned_certificate=test_credentials.certificate)
    try:
        verify_envelope(etree.fromstring(etree.tostring(envelope)), config, now=now)
    except SignatureError as error:
        return error.reason
    return "ok"


def _one(tree: etree._Element, path: str) -> etree._Element:
    found = tree.xpath(path, namespaces=NS)
    assert isinstance(found, list) and len(found) == 1
    element = found[0]
    assert isinstance(element, etree._Element)
    return element


def test_wrapped_signature_value_is_accepted(
    signed_default: etree._Element, test_credentials: Credentials, now: datetime
) -> None:
    value = _one(signed_default, "//ds:SignatureValue")
    text = value.text or ""
    value.text = "\n" + "\r\n".join(text[i : i + 16] for i in range(0, len(text), 16)) + "\n\t"
    assert _verdict(signed_default, test_credentials, now) == "ok"


def test_wrapped_digest_value_changes_what_was_signed(
    signed_default: etree._Element, test_credentials: Credentials, now: datetime
) -> None:
    value = _one(signed_default, "//ds:Reference[1]/ds:DigestValue")
    text = value.text or ""
    value.text = text[:16] + "\n" + text[16:]
    assert _verdict(signed_default, test_credentials, now) == "invalid"


def test_signature_value_split_by_a_comment_is_read_whole(
    signed_default: etree._Element, test_credentials: Credentials, now: datetime
) -> None:
    value = _one(signed_default, "//ds:SignatureValue")
    text = value.text or ""
    value.text = text[:10] + "\n  "
    comment = etree.Comment("split")
    comment.tail = text[10:]
    value.append(comment)
    assert _verdict(signed_default, test_credentials, now) == "ok"


@pytest.mark.parametrize("junk", ["!", "é", "=A", "A"])
def test_signature_value_must_be_strict_base64(
    signed_default: etree._Element, test_credentials: Credentials, now: datetime, junk: str
) -> None:
    value = _one(signed_default, "//ds:SignatureValue")
    value.text = (value.text or "")[:-4] + junk + (value.text or "")[-4:]
    assert _verdict(signed_default, test_credentials, now) == "malformed"


def test_markup_inside_a_value_is_malformed(
    signed_default: etree._Element, test_credentials: Credentials, now: datetime
) -> None:
    value = _one(signed_default, "//ds:SignatureValue")
    etree.SubElement(value, f"{{{DS}}}Extra")
    assert _verdict(signed_default, test_credentials, now) == "malformed"


@pytest.mark.parametrize(
    ("path", "attribute"),
    [
        ("//ds:Signature", "Extra"),
        ("//ds:SignedInfo", "{urn:x}a"),
        ("//ds:SignatureValue", "Algorithm"),
        ("//ds:Reference[1]/ds:DigestValue", "Id"),
    ],
)
def test_attributes_xml_dsig_does_not_define_are_malformed(
    signed_default: etree._Element,
    test_credentials: Credentials,
    now: datetime,
    path: str,
    attribute: str,
) -> None:
    _one(signed_default, path).set(attribute, "x")
    assert _verdict(signed_default, test_credentials, now) == "malformed"


@pytest.mark.parametrize(
    "change",
    [
        "signature-value-first",
        "key-info-before-signed-info",
        "text-in-signed-info",
        "reference-without-digest",
        "empty-transforms",
        "foreign-element-in-signature",
    ],
)
def test_signature_shape_is_checked(
    signed_default: etree._Element, test_credentials: Credentials, now: datetime, change: str
) -> None:
    signature = _one(signed_default, "//ds:Signature")
    signed_info = _one(signature, "ds:SignedInfo")
    reference = _one(signed_info, "ds:Reference[1]")
    if change == "signature-value-first":
        signature.insert(0, _one(signature, "ds:SignatureValue"))
    elif change == "key-info-before-signed-info":
        signature.insert(0, _one(signature, "ds:KeyInfo"))
    elif change == "text-in-signed-info":
        _one(signed_info, "ds:SignatureMethod").tail = "text"
    elif change == "reference-without-digest":
        reference.remove(_one(reference, "ds:DigestValue"))
    elif change == "empty-transforms":
        transforms = _one(reference, "ds:Transforms")
        for child in list(transforms):
            transforms.remove(child)
    else:
        etree.SubElement(signature, "{urn:x}Extra")
    assert _verdict(signed_default, test_credentials, now) == "malformed"


def test_two_transforms_are_refused(
    signed_default: etree._Element, test_credentials: Credentials, now: datetime
) -> None:
    transforms = _one(signed_default, "//ds:Reference[1]/ds:Transforms")
    transforms.append(etree.fromstring(etree.tostring(transforms[0])))
    assert _verdict(signed_default, test_credentials, now) == "algorithm"


def test_prefix_list_without_attribute_is_malformed(
    signed_default: etree._Element, test_credentials: Credentials, now: datetime
) -> None:
    transform = _one(signed_default, "//ds:Reference[1]/ds:Transforms/ds:Transform")
    etree.SubElement(transform, f"{{{EXC}}}InclusiveNamespaces")
    assert _verdict(signed_default, test_credentials, now) == "malformed"


def test_inclusive_method_refuses_inherited_xml_attributes(
    xmlsec1_signed: dict[str, tuple[bytes, Signer]], now: datetime
) -> None:
    """Inclusive c14n would inherit xml:lang into the Body; lxml cannot: refused, not guessed."""
    document, signer = xmlsec1_signed["inclusive-1.0"]
    tree = etree.fromstring(document)
    tree.set("{http://www.w3.org/XML/1998/namespace}lang", "fr")
    config = VerificationConfig(pinned_certificate=signer.certificate)
    with pytest.raises(SignatureError) as caught:
        verify_envelope(tree, config, now=now)
    assert caught.value.reason == "algorithm"
    assert "xml:lang" in str(caught.value)


def test_key_of_another_kind_is_malformed(
    signers: dict[str, Signer], make_envelope: Callable[..., etree._Element], now: datetime
) -> None:
    """An RSA signature method with an EC certificate in the token."""
    envelope = make_envelope()
    sign_envelope(envelope, signers["rsa"].credentials, now=now)
    token = _one(envelope, "//wsse:BinarySecurityToken")
    token.text = signers["ec"].certificate_base64
    config = VerificationConfig(pinned_certificate=signers["ec"].certificate)
    with pytest.raises(SignatureError) as caught:
        verify_envelope(etree.fromstring(etree.tostring(envelope)), config, now=now)
    assert caught.value.reason == "malformed"
    assert "RSA" in str(caught.value)


def test_truncated_ecdsa_value_is_invalid(
    signers: dict[str, Signer], make_envelope: Callable[..., etree._Element], now: datetime
) -> None:
    envelope = make_envelope()
    sign_envelope(envelope, signers["ec"].credentials, SigningProfile("ecdsa-sha256"), now=now)
    value = _one(envelope, "//ds:SignatureValue")
    raw = base64.b64decode(value.text or "")
    value.text = base64.b64encode(raw[:-1]).decode()
    config = VerificationConfig(pinned_certificate=signers["ec"].certificate)
    with pytest.raises(SignatureError) as caught:
        verify_envelope(etree.fromstring(etree.tostring(envelope)), config, now=now)
    assert caught.value.reason == "invalid"


def test_signed_element_other_than_body_timestamp_and_token(
    test_credentials: Credentials, now: datetime, signers: dict[str, Signer]
) -> None:
    """A reference to another header element is digested like the others (and checked)."""
    layout = Layout(header_note=False)
    tree = etree.fromstring(
        envelope_text(
            layout, security="", now=now, certificate_base64=signers["rsa"].certificate_base64
        )
    )
    header = _one(tree, "/soapenv:Envelope/soapenv:Header")
    note = etree.SubElement(header, "{urn:h}Routing", {f"{{{WSU}}}Id": "R-1"})
    note.text = "to CPAS"
    signature = XMLSigner(method=SignatureConstructionMethod.detached, c14n_algorithm=EXC).sign(
        tree,
        key=test_credentials.private_key,
        reference_uri=["#Body-1", "#TS-1", "#R-1"],
        key_info=etree.fromstring(
            f'<ds:KeyInfo xmlns:ds="{DS}"><o:SecurityTokenReference xmlns:o="{WSSE}">'
            '<o:Reference URI="#X509-1"/></o:SecurityTokenReference></ds:KeyInfo>'
        ),
    )
    security_of(tree).append(signature)
    config = VerificationConfig(pinned_certificate=test_credentials.certificate)
    result = verify_envelope(etree.fromstring(etree.tostring(tree)), config, now=now)
    assert result is not None
    assert result.signed_parts == ("Body", "Timestamp", "{urn:h}Routing")
    note.text = "to somebody else"
    with pytest.raises(SignatureError) as caught:
        verify_envelope(etree.fromstring(etree.tostring(tree)), config, now=now)
    assert caught.value.reason == "invalid"
    assert "{urn:h}Routing (reference #R-1)" in str(caught.value)
