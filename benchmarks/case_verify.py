"""verify: verify a signed TX25 reply — SDK vs python-xmlsec.

The reply (``demo_tx25_3`` in the v2 shape) is signed by the SDK's signer as
CBSS signs: BinarySecurityToken, Timestamp, signature over Body and
Timestamp.  Both sides verify the same parsed tree (parsing is the bind
case's business):

* SDK: ``verify_envelope`` pinned to the signer's certificate — signature
  value, both digests, *coverage* (Body and Timestamp each referenced once and
  resolving to the real elements), certificate, timestamp freshness;
* python-xmlsec: register the ``wsu:Id`` attributes, find ``ds:Signature``,
  verify with the certificate's key (loaded once) — signature and digests only;
* floor: one raw RSA-2048 PKCS#1 v1.5 SHA-256 verification with ``cryptography``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ._harness import CaseResult, Check, Row, interleaved, profile_top
from ._peers import cert_pem, sdk_credentials
from ._tx25 import SOAP_NS, sample_reply

__all__ = ["run", "signed_reply"]


def signed_reply(name: str = "demo_tx25_3.xml") -> tuple[bytes, datetime]:
    """A TX25 reply signed with the benchmark credentials, and when it was signed."""
    from lxml import etree

    from cbss_sdk.soap import build_envelope, parse_xml, serialize_envelope
    from cbss_sdk.wsse import sign_envelope

    source = parse_xml(sample_reply(name))
    body = source.find(f"{{{SOAP_NS}}}Body")
    assert body is not None
    assert len(body)
    payload = etree.fromstring(etree.tostring(body[0]))
    envelope = build_envelope(payload)
    now = datetime.now(timezone.utc)
    sign_envelope(envelope, sdk_credentials(), now=now)
    return serialize_envelope(envelope), now


def run(*, rounds: int, quick: bool = False) -> CaseResult:
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.hashes import SHA256

    from cbss_sdk.soap import parse_xml
    from cbss_sdk.wsse import VerificationConfig, verify_envelope

    from ._peers import peer

    xmlsec = peer("xmlsec")

    result = CaseResult(
        key="verify",
        title="verify — verify a signed TX25 reply",
        what=(
            "Both sides verify the same parsed reply (`demo_tx25_3` as v2, 26 KB, signed over "
            "Body and Timestamp). SDK: `verify_envelope` pinned to the certificate — signature, "
            "digests, coverage (Body and Timestamp referenced exactly once, resolving to the "
            "real elements), certificate and timestamp checks. python-xmlsec: `add_ids` + "
            "`SignatureContext.verify` with the key loaded once — signature and digests only. "
            "Floor: one raw RSA-2048 PKCS#1 v1.5 SHA-256 verification."
        ),
    )
    data, signed_at = signed_reply()
    tree = parse_xml(data)
    credentials = sdk_credentials()
    config = VerificationConfig(pinned_certificate=credentials.certificate)
    key = xmlsec.Key.from_memory(cert_pem(), xmlsec.constants.KeyDataFormatCertPem, None)

    def sdk() -> Any:
        return verify_envelope(tree, config, now=signed_at)

    def with_xmlsec() -> None:
        xmlsec.tree.add_ids(tree, ["Id"])
        signature = xmlsec.tree.find_node(tree, xmlsec.constants.NodeSignature)
        context = xmlsec.SignatureContext()
        context.key = key
        context.verify(signature)

    public = credentials.certificate.public_key()
    blob = bytes(range(256)) * 4
    signature_value = credentials.private_key.sign(blob, PKCS1v15(), SHA256())

    def raw() -> None:
        public.verify(signature_value, blob, PKCS1v15(), SHA256())

    timings = interleaved(
        {"sdk": sdk, "xmlsec": with_xmlsec, "raw": raw}, rounds=rounds, min_seconds=0.2
    )
    s, x, r = timings["sdk"].median, timings["xmlsec"].median, timings["raw"].median
    result.tables.append(
        (
            "Median per verification",
            [
                Row("cbss-sdk verify_envelope", "SDK", s, note=f"{s / x:.2f} × xmlsec"),
                Row("python-xmlsec", "peer", x),
                Row("raw RSA-2048 verification", "floor", r),
            ],
        )
    )
    result.checks.append(Check("verify: SDK ≤ 1.2 × python-xmlsec", s / x, 1.2))
    if s / x > 1.2:
        result.profiles.append(("SDK verify_envelope", profile_top(sdk, calls=300)))
    return result
