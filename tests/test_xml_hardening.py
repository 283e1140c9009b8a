"""The hardened parser: hostile documents are refused, nothing is fetched, limits hold."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from cbss_sdk.errors import ConfigurationError, XmlError, XmlSecurityError, XmlTooLarge
from cbss_sdk.soap import DEFAULT_XML_LIMITS, XmlLimits, parse_xml
from cbss_sdk.soap._xml import _new_parser, sniff_prolog

FIXTURES = Path("/work/shared/reference/cbss/head/fixtures")
SECRET = "TOP-SECRET-c0ffee-must-never-leak"


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


class FifoWatch:
    """A named pipe whose opening by anyone else is recorded.

    A writer thread blocks in ``open()`` until a reader opens the pipe; if the
    parser opened it, the writer records that and feeds it the secret (so a
    broken parser gets data instead of hanging).  After the parse the test
    releases the writer itself and checks the record.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        os.mkfifo(path)
        self.opened_by_other = False
        self._releasing = False
        self._thread = threading.Thread(target=self._writer, daemon=True)
        self._thread.start()

    def _writer(self) -> None:
        with open(self.path, "w", encoding="utf-8") as pipe:  # blocks until a reader comes
            if not self._releasing:
                self.opened_by_other = True
                pipe.write(SECRET)

    def was_opened(self) -> bool:
        self._releasing = True
        fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)  # releases the blocked writer
        try:
            self._thread.join(timeout=10)
        finally:
            os.close(fd)
        return self.opened_by_other


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[FifoWatch]:
    if not hasattr(os, "mkfifo"):
        pytest.skip("named pipes are needed to prove a file is not opened")
    watch = FifoWatch(tmp_path / "watched.dtd")
    yield watch
    if watch._thread.is_alive():
        watch.was_opened()


class ListenerWatch:
    """A TCP listener on 127.0.0.1 recording whether anybody connects."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.contacted = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.contacted = True
            conn.close()

    def was_contacted(self) -> bool:
        self._stop.set()
        self._thread.join(timeout=10)
        self.sock.setblocking(False)
        try:
            conn, _ = self.sock.accept()  # anything still waiting in the backlog
        except BlockingIOError:
            pass
        else:
            self.contacted = True
            conn.close()
        self.sock.close()
        return self.contacted


@pytest.fixture
def listener() -> Iterator[ListenerWatch]:
    watch = ListenerWatch()
    yield watch
    if not watch._stop.is_set():
        watch.was_contacted()


def _assert_secret_absent(exc: BaseException) -> None:
    for text in (str(exc), repr(exc), *map(str, exc.args)):
        assert SECRET not in text


# --------------------------------------------------------------------------- limits


def test_default_limits() -> None:
    assert XmlLimits() == DEFAULT_XML_LIMITS
    assert DEFAULT_XML_LIMITS.max_bytes == 32 * 1024 * 1024
    assert DEFAULT_XML_LIMITS.max_depth == 256


@pytest.mark.parametrize("field", ["max_bytes", "max_depth"])
@pytest.mark.parametrize("value", [0, -1, True, 1.5, "10", None])
def test_limits_must_be_positive_integers(field: str, value: object) -> None:
    with pytest.raises(ConfigurationError, match=field):
        XmlLimits(**{field: value})  # type: ignore[arg-type]


# --------------------------------------------------------------------------- DTD attacks


def test_xxe_file_entity_is_refused_and_not_read(secret_file: Path) -> None:
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{secret_file.as_uri()}">]><r>&x;</r>'
    ).encode()
    with pytest.raises(XmlSecurityError, match="DOCTYPE") as caught:
        parse_xml(doc)
    _assert_secret_absent(caught.value)


def test_xxe_is_refused_in_utf16_too(secret_file: Path) -> None:
    doc = (
        f'<?xml version="1.0" encoding="UTF-16"?>'
        f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret_file.as_uri()}">]><r>&x;</r>'
    ).encode("utf-16")
    with pytest.raises(XmlSecurityError):
        parse_xml(doc)


def test_xxe_entity_file_is_never_opened(fifo: FifoWatch) -> None:
    doc = f'<!DOCTYPE r [<!ENTITY x SYSTEM "{fifo.path.as_uri()}">]><r>&x;</r>'.encode()
    with pytest.raises(XmlSecurityError):
        parse_xml(doc)
    assert not fifo.was_opened()


def test_parameter_entity_file_is_never_opened(fifo: FifoWatch) -> None:
    doc = f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{fifo.path.as_uri()}"> %p;]><r/>'.encode()
    with pytest.raises(XmlSecurityError):
        parse_xml(doc)
    assert not fifo.was_opened()


def test_external_dtd_file_is_never_opened(fifo: FifoWatch) -> None:
    doc = f'<?xml version="1.0"?><!DOCTYPE r SYSTEM "{fifo.path.as_uri()}"><r/>'.encode()
    with pytest.raises(XmlSecurityError):
        parse_xml(doc)
    assert not fifo.was_opened()


def test_external_dtd_url_is_never_contacted(listener: ListenerWatch) -> None:
    url = f"http://127.0.0.1:{listener.port}/evil.dtd"
    doc = f'<!DOCTYPE r SYSTEM "{url}"><r/>'.encode()
    with pytest.raises(XmlSecurityError):
        parse_xml(doc)
    entity = f'<!DOCTYPE r [<!ENTITY x SYSTEM "{url}">]><r>&x;</r>'.encode()
    with pytest.raises(XmlSecurityError):
        parse_xml(entity)
    assert not listener.was_contacted()


def test_the_parser_configuration_alone_never_loads_anything(
    fifo: FifoWatch, listener: ListenerWatch
) -> None:
    """Defence in depth: even past the DOCTYPE check, the parser fetches nothing."""
    url = f"http://127.0.0.1:{listener.port}/evil.dtd"
    documents = [
        f'<!DOCTYPE r [<!ENTITY x SYSTEM "{fifo.path.as_uri()}">]><r>&x;</r>',
        f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{fifo.path.as_uri()}"> %p;]><r/>',
        f'<!DOCTYPE r SYSTEM "{fifo.path.as_uri()}"><r/>',
        f'<!DOCTYPE r SYSTEM "{url}"><r/>',
        f'<!DOCTYPE r [<!ENTITY x SYSTEM "{url}">]><r>&x;</r>',
    ]
    for document in documents:
        try:
            root = etree.fromstring(document.encode(), _new_parser())
        except etree.XMLSyntaxError:
            continue
        assert SECRET not in etree.tostring(root, encoding="unicode")
    assert not fifo.was_opened()
    assert not listener.was_contacted()


def _billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        entities.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    return f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(entities)}]><lolz>&lol9;</lolz>'.encode()


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(XmlSecurityError):
        parse_xml(_billion_laughs())


def test_quadratic_blowup_is_refused() -> None:
    big = "A" * 50_000
    doc = f'<!DOCTYPE r [<!ENTITY a "{big}">]><r>{"&a;" * 5_000}</r>'.encode()
    with pytest.raises(XmlSecurityError):
        parse_xml(doc)


@pytest.mark.parametrize(
    "doc",
    [
        b"<!DOCTYPE r><r/>",
        b"<!doctype r><r/>",
        b'<?xml version="1.0"?>\n<!-- c --><?pi x?>\n<!DOCTYPE r []><r/>',
        b"\xef\xbb\xbf<!DOCTYPE r><r/>",
        '<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>'.encode("utf-16"),
        "<!DOCTYPE r><r/>".encode("utf-32"),
    ],
    ids=["plain", "lowercase", "after-prolog", "utf8-bom", "utf16", "utf32"],
)
def test_any_doctype_is_refused(doc: bytes) -> None:
    with pytest.raises(XmlSecurityError):
        parse_xml(doc)


def test_doctype_in_text_input_is_refused() -> None:
    with pytest.raises(XmlSecurityError):
        parse_xml('<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>')


def test_undeclared_entity_is_malformed() -> None:
    with pytest.raises(XmlError, match="malformed") as caught:
        parse_xml(b"<r>&x;</r>")
    assert not isinstance(caught.value, XmlSecurityError)


@pytest.mark.parametrize("encoding", ["UTF-7", "EBCDIC-US", "x-unknown"])
def test_exotic_declared_encodings_are_refused(encoding: str) -> None:
    doc = f'<?xml version="1.0" encoding="{encoding}"?><r/>'.encode("ascii")
    with pytest.raises(XmlError, match="encoding"):
        parse_xml(doc)


def test_utf7_doctype_smuggling_is_refused() -> None:
    # "+ADw-" is "<" in UTF-7: a byte-level DOCTYPE check would not see it.
    doc = b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE r+AD4-+ADw-r/+AD4-'
    with pytest.raises(XmlError):
        parse_xml(doc)


# --------------------------------------------------------------------------- size and depth


def test_oversize_is_refused_before_parsing() -> None:
    limits = XmlLimits(max_bytes=100)
    # Garbage that would be a plain XmlError if it were parsed: size wins.
    with pytest.raises(XmlTooLarge):
        parse_xml(b"\x00" * 101, limits=limits)
    with pytest.raises(XmlTooLarge):
        parse_xml(b"<r>" + b"x" * 94 + b"</r>", limits=limits)
    assert parse_xml(b"<r>" + b"x" * 93 + b"</r>", limits=limits).tag == "r"


def test_text_input_size_counts_utf8_bytes() -> None:
    limits = XmlLimits(max_bytes=100)
    text = "<r>" + "é" * 45 + "</r>"  # 52 characters, 97 bytes
    assert parse_xml(text, limits=limits).text == "é" * 45
    with pytest.raises(XmlTooLarge):
        parse_xml("<r>" + "é" * 47 + "</r>", limits=limits)  # 101 bytes


def _nested(depth: int) -> bytes:
    return b"<a>" * depth + b"</a>" * depth


def test_depth_at_the_default_cap() -> None:
    assert parse_xml(_nested(256)).tag == "a"
    with pytest.raises(XmlTooLarge, match="deep"):
        parse_xml(_nested(257))
    with pytest.raises(XmlTooLarge):
        parse_xml(_nested(5_000))


def test_configured_depth_cap() -> None:
    limits = XmlLimits(max_depth=10)
    assert parse_xml(_nested(10), limits=limits).tag == "a"
    with pytest.raises(XmlTooLarge, match="10 levels"):
        parse_xml(_nested(11), limits=limits)
    # Depth counts elements only, wherever the deep branch is.
    doc = b"<a><b/><b/>" + _nested(10) + b"</a>"
    with pytest.raises(XmlTooLarge):
        parse_xml(doc, limits=limits)
    doc = b"<a><b/><b/>" + _nested(9) + b"</a>"
    assert parse_xml(doc, limits=limits).tag == "a"


def test_depth_cap_above_the_parser_cap_keeps_the_parser_cap() -> None:
    limits = XmlLimits(max_depth=10**9)  # must not build a probe document that deep
    assert parse_xml(_nested(200), limits=limits).tag == "a"
    with pytest.raises(XmlTooLarge):
        parse_xml(_nested(300), limits=limits)


def test_huge_text_node_is_too_large() -> None:
    with pytest.raises(XmlTooLarge):
        parse_xml(b"<a>" + b"x" * (10 * 1024 * 1024 + 10) + b"</a>")


# --------------------------------------------------------------------------- not XML


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"", "empty"),
        (b"  \r\n\t ", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b'{"error": "unavailable"}', "not XML"),
        (b"Service Unavailable", "not XML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not XML"),
        (b"<html><body><h1>Bad gateway</h1><hr></body></html>", "malformed"),
        (b'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="urn:x"><soap', "malformed"),
        (b"<a></b>", "malformed"),
        (b"<a/><b/>", "malformed"),
        (b"< a/>", "not XML"),
        (b"<1a/>", "not XML"),
        (b"<?xml version='1.0'", "malformed"),
        (b"<!-- never closed", "malformed"),
    ],
)
def test_non_xml_bodies_raise_xml_error(body: bytes, match: str) -> None:
    with pytest.raises(XmlError, match=match) as caught:
        parse_xml(body)
    assert type(caught.value) is XmlError
    assert len(str(caught.value)) < 300


def test_error_excerpt_is_short_and_masked() -> None:
    body = b"person 85073003328 not found " + b"x" * 500
    with pytest.raises(XmlError) as caught:
        parse_xml(body)
    text = str(caught.value)
    assert "85073003328" not in text
    assert "***********" in text
    assert "x" * 50 not in text


def test_wrong_input_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse_xml(123)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- good XML


def test_keeps_pis_and_whitespace_and_drops_comments() -> None:
    doc = b"<r>\n  <!-- note --><?keep me?>\n  <a> x </a>\n</r>"
    root = parse_xml(doc)
    assert etree.tostring(root) == b"<r>\n  <?keep me?>\n  <a> x </a>\n</r>"


def test_a_comment_inside_a_value_does_not_shorten_it() -> None:
    # XML-DSig does not digest comments in referenced elements: were the comment kept,
    # ``.text`` would read "680" from a value whose signature covers "68030700174".
    root = parse_xml(b"<r><ssin>680<!--x-->30700174</ssin><b>1<!--a--><!--b-->2</b></r>")
    assert root[0].text == "68030700174"
    assert len(root[0]) == 0
    assert root[1].text == "12"


@pytest.mark.parametrize(
    "doc",
    [
        b"\xef\xbb\xbf<?xml version='1.0' encoding='UTF-8'?><r>\xc3\xa9</r>",
        "\ufeff<r>é</r>".encode(),
        '<?xml version="1.0" encoding="UTF-16"?><r>é</r>'.encode("utf-16"),
        '<?xml version="1.0" encoding="ISO-8859-1"?><r>é</r>'.encode("latin-1"),
        "<r>é</r>",
        "\ufeff<r>é</r>",
        '<?xml version="1.0" encoding="ISO-8859-1"?><r>é</r>',
        "<?xml version='1.0' encoding='utf-8'?>\n<r>é</r>",
    ],
    ids=[
        "utf8-bom",
        "utf8-bom-2",
        "utf16-bom",
        "latin1",
        "text",
        "text-bom",
        "text-stale-decl",
        "text-utf8-decl",
    ],
)
def test_encodings_and_byte_order_marks(doc: bytes | str) -> None:
    assert parse_xml(doc).text == "é"


def test_bytearray_and_memoryview_are_accepted() -> None:
    assert parse_xml(bytearray(b"<r/>")).tag == "r"  # type: ignore[arg-type]
    assert parse_xml(memoryview(b"<r/>")).tag == "r"  # type: ignore[arg-type]


def test_lone_surrogate_text_is_an_xml_error() -> None:
    with pytest.raises(XmlError):
        parse_xml("<r>\ud800</r>")


def test_reference_replies_parse() -> None:
    if not FIXTURES.is_dir():
        pytest.skip("CBSS reference fixtures are not available on this machine")
    for path in sorted(FIXTURES.glob("*.xml")):
        root = parse_xml(path.read_bytes())
        assert isinstance(root.tag, str), path.name


def test_threads_each_parse_correctly() -> None:
    docs = [f"<r><n>{i}</n>{'<x/>' * (i % 50)}</r>".encode() for i in range(400)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        values = list(pool.map(lambda d: parse_xml(d).findtext("n"), docs))
    assert values == [str(i) for i in range(400)]


# --------------------------------------------------------------------------- prolog sniffing


@pytest.mark.parametrize(
    ("body", "kind", "name"),
    [
        (b"", "empty", None),
        (b"<a:Envelope xmlns:a='x'/>", "element", "a:Envelope"),
        (b"<?xml version='1.0'?>\n<!-- c -->\n<?pi?>\n<Envelope>", "element", "Envelope"),
        (b"<!DOCTYPE html>\n<html>", "doctype", "html"),
        (b"{}", "text", None),
        (b"<!-- open", "unknown", None),
        ("<?xml version='1.0' encoding='UTF-16'?><s:E/>".encode("utf-16"), "element", "s:E"),
    ],
)
def test_sniff_prolog(body: bytes, kind: str, name: str | None) -> None:
    prolog = sniff_prolog(body)
    assert (prolog.kind, prolog.name) == (kind, name)


def test_sniff_prolog_reads_declared_encoding() -> None:
    assert sniff_prolog(b'<?xml version="1.0" encoding="UTF-8"?><r/>').encoding == "UTF-8"
    assert sniff_prolog(b"<?xml version='1.0'?><r/>").encoding is None


# --------------------------------------------------------------------------- properties

_FRAGMENTS = st.sampled_from(
    [
        "<",
        ">",
        "</",
        "/>",
        "<r>",
        "</r>",
        "<a x='1'>",
        "</a>",
        "<!DOCTYPE r>",
        "<!ENTITY e 'x'>",
        "&e;",
        "&amp;",
        "<![CDATA[",
        "]]>",
        "<!--",
        "-->",
        "<?xml version='1.0'?>",
        "<?xml version='1.0' encoding='UTF-16'?>",
        "<?pi?>",
        "\ufeff",
        " ",
        "\n",
        "text",
        "é",
        "\x00",
        "[",
        "]",
        "%p;",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_an_element_or_an_xml_error(data: bytes) -> None:
    try:
        root = parse_xml(data)
    except XmlError:
        return
    assert isinstance(root, etree._Element)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_gives_an_element_or_an_xml_error(text: str) -> None:
    try:
        root = parse_xml(text)
    except XmlError:
        return
    assert isinstance(root, etree._Element)


@settings(max_examples=500, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=30).map("".join), st.sampled_from(["utf-8", "utf-16"]))
def test_xml_like_documents_give_an_element_or_an_xml_error(text: str, codec: str) -> None:
    for data in (text, text.encode(codec, "surrogatepass")):
        try:
            root = parse_xml(data, limits=XmlLimits(max_depth=8))
        except XmlError:
            continue
        assert isinstance(root, etree._Element)
        assert root.getroottree().docinfo.internalDTD is None
