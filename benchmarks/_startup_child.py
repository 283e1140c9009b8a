"""Run in a fresh interpreter by ``case_startup``: one start-up measurement, printed as JSON.

``python -m benchmarks._startup_child MODE [ARGS...]``:

* ``import``: time of ``import cbss_sdk``;
* ``zeep-import``: time of ``import zeep``;
* ``sdk REPLY P12 PASSWORD``: from the first line of this module to a completed
  TX25 call (PKCS#12 loaded, request signed, reply verified and bound; the reply
  comes from an ``httpx.MockTransport`` serving the bytes of file REPLY);
* ``sdk-minimal REPLY P12 PASSWORD``: the same with click, rich and pygments made
  unimportable first, as in a plain ``pip install cbss-sdk`` (they come with the
  ``cli`` extra; when they are importable, ``import httpx`` also imports httpx's
  own command line, ``httpx._main``);
* ``sdk-profile REPLY P12 PASSWORD``: ``sdk`` with everything after the imports
  run under cProfile; the output carries the profile's rows;
* ``zeep REPLY WSDL KEY CERT``: the same with zeep (import, WSDL load,
  Timestamp + BinarySignature, reply signature verified with the same
  certificate, reply deserialized).

The ``benchmarks`` package itself is not imported before the clock starts.
"""

import time

_T0 = time.perf_counter()

import importlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402


def _peer(module: str) -> Any:
    """An untyped peer module (zeep, xmlsec, requests) as ``Any``."""
    return importlib.import_module(module)


#: What the ``cli`` extra adds to a plain install and httpx imports when it can.
CLI_PACKAGES = ("click", "rich", "pygments")


def _without_cli_packages() -> None:
    """Make the ``cli`` extra's packages unimportable, as if they were not installed."""
    modules: dict[str, Any] = sys.modules
    for name in CLI_PACKAGES:
        modules[name] = None  # ``import name`` now raises ModuleNotFoundError


def _sdk(reply_path: str, p12_path: str, password: str, *, profile: bool = False) -> dict[str, Any]:
    import httpx

    import cbss_sdk

    sdk: Any = cbss_sdk  # the names users import from the package (loaded lazily)
    CbssClient, Credentials = sdk.CbssClient, sdk.Credentials
    Organization, RetrieveTIGroups = sdk.Organization, sdk.RetrieveTIGroups
    VerificationConfig = sdk.VerificationConfig

    imported = time.perf_counter()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    with open(reply_path, "rb") as handle:
        reply = handle.read()
    credentials = Credentials.from_pkcs12(p12_path, password=password)

    def serve(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=reply, headers={"content-type": "text/xml"})

    client = CbssClient(
        environment="test",
        credentials=credentials,
        organization=Organization(cbe_number="0212344876"),
        verification=VerificationConfig(pinned_certificate=credentials.certificate),
        http_client=httpx.Client(transport=httpx.MockTransport(serve)),
    )
    result = RetrieveTIGroups(client).retrieve("85073003328", history=True)
    done = time.perf_counter()
    assert result.data_found, result.status
    assert cbss_sdk.__version__
    out: dict[str, Any] = {"imports_ms": (imported - _T0) * 1e3, "total_ms": (done - _T0) * 1e3}
    if profiler is not None:
        profiler.disable()
        out["profile"] = _profile_rows(profiler)
        out["profiled_ms"] = (done - imported) * 1e3
    return out


def _profile_rows(profiler: Any, limit: int = 40) -> list[list[Any]]:
    """The profile's functions with the most own time: [own s, cumulative s, calls, file, line, name]."""
    import pstats

    raw: Any = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = sorted(raw.items(), key=lambda item: item[1][2], reverse=True)[:limit]
    return [
        [tottime, cumtime, ncalls, filename, line, name]
        for (filename, line, name), (_cc, ncalls, tottime, cumtime, _callers) in rows
    ]


def _zeep(reply_path: str, wsdl: str, key_path: str, cert_path: str) -> dict[str, float]:
    from datetime import datetime, timedelta, timezone

    from lxml import etree

    requests = _peer("requests")
    zeep = _peer("zeep")
    Transport = _peer("zeep.transports").Transport
    BinarySignature = _peer("zeep.wsse.signature").BinarySignature
    utils = _peer("zeep.wsse.utils")

    imported = time.perf_counter()
    with open(reply_path, "rb") as handle:
        reply = handle.read()
    wsu = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"

    class Stamp:
        def apply(self, envelope: Any, headers: Any) -> tuple[Any, Any]:
            security = utils.get_security_header(envelope)
            now = datetime.now(timezone.utc)
            stamp = etree.SubElement(security, f"{{{wsu}}}Timestamp")
            etree.SubElement(stamp, f"{{{wsu}}}Created").text = now.strftime("%Y-%m-%dT%H:%M:%SZ")
            expires = (now + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
            etree.SubElement(stamp, f"{{{wsu}}}Expires").text = expires
            utils.ensure_id(stamp)
            return envelope, headers

        def verify(self, envelope: Any) -> Any:
            return envelope

    class Canned(Transport):  # type: ignore[misc, valid-type]
        def post_xml(self, address: str, envelope: Any, headers: Any) -> Any:
            etree.tostring(envelope)
            response = requests.Response()
            response.status_code = 200
            response._content = reply
            response.headers["Content-Type"] = "text/xml"
            return response

    xmlsec = _peer("xmlsec")
    signature = BinarySignature(
        key_path,
        cert_path,
        signature_method=xmlsec.Transform.RSA_SHA256,
        digest_method=xmlsec.Transform.SHA256,
    )
    compose = _peer("zeep.wsse.compose").Compose
    client = zeep.Client(wsdl, wsse=compose([Stamp(), signature]), transport=Canned())
    result = client.service.retrieveTI(
        informationCustomer={
            "ticket": "00000000-0000-4000-8000-000000000000",
            "timestampSent": datetime.now(timezone.utc),
            "customerIdentification": {"cbeNumber": "0212344876"},
        },
        legalContext="PCSA:SOCIAL_INQUIRY",
        searchInformation={"ssin": "85073003328", "language": "fr", "history": True},
    )
    done = time.perf_counter()
    assert result.status.value == "DATA_FOUND"
    return {"imports_ms": (imported - _T0) * 1e3, "total_ms": (done - _T0) * 1e3}


def main(argv: list[str]) -> int:
    mode, *args = argv
    out: dict[str, Any]
    if mode == "import":
        import cbss_sdk  # noqa: F401

        out = {"total_ms": (time.perf_counter() - _T0) * 1e3}
    elif mode == "zeep-import":
        _peer("zeep")

        out = {"total_ms": (time.perf_counter() - _T0) * 1e3}
    elif mode == "sdk":
        out = _sdk(*args)
    elif mode == "sdk-minimal":
        _without_cli_packages()
        out = _sdk(*args)
    elif mode == "sdk-profile":
        out = _sdk(*args, profile=True)
    elif mode == "zeep":
        out = _zeep(*args)
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
