"""Environments: the public CBSS platforms, custom base URLs, and the errors for bad ones."""

from __future__ import annotations

import pytest

from cbss_sdk.errors import ConfigurationError
from cbss_sdk.transport import (
    ENV_ACPT,
    ENV_PROD,
    ENV_TEST,
    ENVIRONMENTS,
    Environment,
    resolve_environment,
)


@pytest.mark.parametrize(
    ("env", "name"), [(ENV_TEST, "test"), (ENV_ACPT, "acpt"), (ENV_PROD, "prod")]
)
def test_public_environments_follow_the_cbss_host_pattern(env: Environment, name: str) -> None:
    assert env.name == name
    assert env.soa_base_url == f"https://bcssksz-services-{name}.smals.be:443/SOA4520/"
    assert env.ssdn_url == (
        f"https://bcssksz-services-{name}.smals.be"
        "/connectors/webservice/KSZBCSSWebServiceConnectorPort"
    )
    assert ENVIRONMENTS[name] is env


def test_soa_url_appends_the_operation_path() -> None:
    assert ENV_ACPT.soa_url("RetrieveTIGroupsService/v2/retrieveTI") == (
        "https://bcssksz-services-acpt.smals.be:443/SOA4520/RetrieveTIGroupsService/v2/retrieveTI"
    )
    assert ENV_TEST.soa_url("/TestConnectionServiceService/sendTestMessage") == (
        "https://bcssksz-services-test.smals.be:443/SOA4520/TestConnectionServiceService/sendTestMessage"
    )


@pytest.mark.parametrize("name", ["acpt", "ACPT", " Acpt "])
def test_names_are_resolved_case_insensitively(name: str) -> None:
    assert resolve_environment(name) is ENV_ACPT


def test_an_environment_object_is_used_as_is() -> None:
    custom = Environment("lab", "http://lab.example/soa", "http://lab.example/ssdn")
    assert resolve_environment(custom) is custom
    assert custom.soa_base_url == "http://lab.example/soa/"


def test_unknown_name_lists_the_valid_ones() -> None:
    with pytest.raises(ConfigurationError) as caught:
        resolve_environment("acc")
    message = str(caught.value)
    assert "'acc'" in message
    for name in ("'test'", "'acpt'", "'prod'"):
        assert name in message


def test_base_url_overrides_and_keeps_the_name() -> None:
    env = resolve_environment("prod", base_url="http://proxy.internal:8080/cbss/SOA4520")
    assert env.name == "prod"
    assert env.soa_base_url == "http://proxy.internal:8080/cbss/SOA4520/"
    # The SSDN connector is looked for at the root of the same host.
    assert env.ssdn_url == (
        "http://proxy.internal:8080/connectors/webservice/KSZBCSSWebServiceConnectorPort"
    )


def test_base_url_without_environment_is_custom() -> None:
    env = resolve_environment(None, base_url="http://127.0.0.1:8000/", ssdn_url="http://h/ssdn")
    assert env.name == "custom"
    assert env.soa_base_url == "http://127.0.0.1:8000/"
    assert env.ssdn_url == "http://h/ssdn"


def test_ssdn_url_alone_overrides_only_ssdn() -> None:
    env = resolve_environment("test", ssdn_url="http://ssdn.example/port")
    assert env.soa_base_url == ENV_TEST.soa_base_url
    assert env.ssdn_url == "http://ssdn.example/port"
    assert ENV_TEST.ssdn_url != env.ssdn_url  # the constant is untouched


def test_nothing_given_is_an_error() -> None:
    with pytest.raises(ConfigurationError, match="base_url"):
        resolve_environment(None)


@pytest.mark.parametrize(
    "url",
    ["ftp://host/", "bcssksz-services-acpt.smals.be/SOA4520/", "https:///nohost", "http://h/?a=1"],
)
def test_bad_base_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigurationError):
        resolve_environment("acpt", base_url=url)


def test_environment_type_is_checked() -> None:
    with pytest.raises(ConfigurationError):
        resolve_environment(42)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        Environment(" ", "https://h/", "https://h/ssdn")
