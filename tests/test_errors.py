"""The error hierarchy: catchable by type, carries context, never carries national numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cbss_sdk
from cbss_sdk import errors
from cbss_sdk._redact import MASK, mask_national_numbers, mask_ssin


def test_every_public_error_is_a_cbss_error_and_exported() -> None:
    for name in errors.__all__:
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            assert issubclass(obj, errors.CbssError), name
            assert getattr(cbss_sdk, name) is obj


def test_tree_in_docstring_names_every_error_class() -> None:
    doc = errors.__doc__ or ""
    for name in errors.__all__:
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, errors.CbssError):
            assert name in doc, f"{name} missing from the error tree"


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("MSG00005", errors.SsinUnknown),
        ("MSG00006", errors.SsinReplaced),
        ("MSG00007", errors.SsinCancelled),
        ("MSG00008", errors.RequestInvalid),
        ("MSG00011", errors.SsinInvalid),
        ("MSG00012", errors.NotIntegrated),
        ("MSG00013", errors.LegalContextRefused),
        ("MSG00001", errors.ServiceUnavailable),
        ("MSG00002", errors.ServiceUnavailable),
        ("XYZ99999", errors.CbssBusinessError),
        (None, errors.CbssBusinessError),
    ],
)
def test_code_table(code: str | None, cls: type[errors.CbssBusinessError]) -> None:
    assert errors.business_error_for_code(code) is cls


def test_service_code_table_wins() -> None:
    class TaxDataMissing(errors.CbssBusinessError):
        pass

    assert (
        errors.business_error_for_code("TAXA0007", {"TAXA0007": TaxDataMissing}) is TaxDataMissing
    )


def test_business_error_message_and_context() -> None:
    err = errors.SsinUnknown(description="SSIN 85073003328 unknown")
    err.with_context(
        service="RetrieveTIGroups",
        operation="retrieveTI",
        environment="acpt",
        tickets=["t-1", "t-1", ""],
    )
    assert err.code == "MSG00005"
    assert "85073003328" not in str(err)
    assert "RetrieveTIGroups.retrieveTI @ acpt" in str(err)
    assert err.tickets == ("t-1",)
    assert isinstance(err, errors.CbssBusinessError)


def test_context_is_not_overwritten() -> None:
    err = errors.CbssError("x", service="A", operation="a")
    err.with_context(service="B", operation="b", environment="prod")
    assert (err.service, err.operation, err.environment) == ("A", "a", "prod")


def test_replaced_exposes_replacement_as_attribute_only() -> None:
    err = errors.SsinReplaced(
        information=[errors.StatusInformation("replacedBy", "85073003328")],
        description="replaced by 85073003328",
    )
    assert err.replacement == "85073003328"
    assert "85073003328" not in str(err)
    assert "85073003328" not in repr(err)


def test_soap_fault_collects_cbss_ticket_and_codes() -> None:
    detail = errors.FaultDetail(
        ticket_cbss="abc",
        messages=(errors.FaultMessage("FATAL", "MSG00003", diagnostic="boom for 85073003328"),),
    )
    fault = errors.SoapFault("soapenv:Server", "An error occurred", detail=detail, http_status=500)
    assert fault.reason_codes == ("MSG00003",)
    assert fault.tickets == ("abc",)
    assert "MSG00003" in str(fault)
    assert "85073003328" not in str(fault)


def test_ssdn_error_summarises_details() -> None:
    err = errors.SsdnError(
        details=[errors.SsdnDetail("ERROR", "32007004", "no match for 85073003328")],
        return_code=10000,
    )
    assert err.reason_codes == ("32007004",)
    assert err.code == "32007004"
    assert "85073003328" not in str(err)


def test_http_error_masks_excerpt() -> None:
    err = errors.CbssHttpError("bad gateway", status_code=502, body_excerpt="<h1>85073003328</h1>")
    assert "85073003328" not in err.body_excerpt


def test_credentials_error_fields() -> None:
    err = errors.CredentialsError(
        "wrong password for cpas.p12", source="cpas.p12", cause="wrong-password"
    )
    assert err.cause == "wrong-password"
    assert err.source == "cpas.p12"


@pytest.mark.parametrize(
    "text",
    ["85073003328", "ssin=85073003328;", "85.07.30-033.28", "850730 033-28", "850730 033=28"],
)
def test_mask_national_numbers(text: str) -> None:
    masked = mask_national_numbers(text)
    assert MASK in masked
    assert not any(run in masked for run in ("85073003328", "033.28", "033-28", "033=28"))


def test_mask_leaves_other_numbers() -> None:
    assert (
        mask_national_numbers("ticket 123456789012 and 0212344876")
        == "ticket 123456789012 and 0212344876"
    )
    assert mask_ssin("85073003328") == "*********28"
    assert mask_ssin(None) == ""


@given(st.text(alphabet=st.sampled_from("0123456789 .-=abc"), max_size=60))
def test_no_eleven_digit_run_survives_masking(text: str) -> None:
    import re

    assert re.search(r"(?<!\d)\d{11}(?!\d)", mask_national_numbers(text)) is None
