"""Configuration of the ``cbss`` command: flags > environment variables > TOML file, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli_support import assert_one_error_line, isolate, run

from cbss_sdk.cli._config import Settings, config_file, load_settings, read_password
from cbss_sdk.cli._errors import UsageError


@pytest.fixture(autouse=True)
def work(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate(monkeypatch, tmp_path)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


FULL_TOML = """
environment = "test"
base_url = "https://file.example/SOA4520/"
cert = "certs/cpas.p12"
cbe = "0212344876"
sector = 17
institution = 1
ssdn_user = "00901234567"
ssdn_email = "file@cpas.example"
ca_bundle = "trust.pem"
timeout = 12.5
verification = "if_present"
"""


def test_precedence_flag_over_env_over_file(work: Path) -> None:
    _write(work / "cbss.toml", FULL_TOML)
    env = {"CBSS_ENV": "acpt", "CBSS_CBE": "0203201340", "CBSS_TIMEOUT": "20"}
    settings = load_settings({"environment": "prod"}, environ=env, cwd=work)
    # The flag wins over the variable and the file.
    assert settings.environment == "prod"
    assert settings.source("environment") == "flag"
    # The variable wins over the file.
    assert settings.cbe == "0203201340"
    assert settings.source("cbe") == "env CBSS_CBE"
    assert settings.timeout == 20.0
    # The file fills the rest; its relative paths are relative to the file.
    assert settings.sector == 17
    assert settings.institution == 1
    assert settings.ssdn_email == "file@cpas.example"
    assert settings.verification == "if_present"
    assert settings.cert == str((work / "certs" / "cpas.p12").resolve())
    assert settings.ca_bundle == str((work / "trust.pem").resolve())
    assert settings.source("cert").startswith("file ")
    assert settings.config_path == str(work / "cbss.toml")


@pytest.mark.parametrize(
    ("flag", "env", "file", "expected"),
    [
        ("prod", "acpt", "test", "prod"),
        (None, "acpt", "test", "acpt"),
        (None, None, "test", "test"),
        (None, None, None, None),
    ],
)
def test_precedence_of_each_source(
    work: Path, flag: str | None, env: str | None, file: str | None, expected: str | None
) -> None:
    if file is not None:
        _write(work / "cbss.toml", f'environment = "{file}"\n')
    environ = {"CBSS_ENV": env} if env is not None else {}
    settings = load_settings({"environment": flag}, environ=environ, cwd=work)
    assert settings.environment == expected


def test_default_files_cwd_first_then_user_config(work: Path, tmp_path: Path) -> None:
    user = _write(tmp_path / "home" / ".config" / "cbss" / "config.toml", 'cbe = "0212344876"\n')
    env = {"XDG_CONFIG_HOME": str(tmp_path / "home" / ".config")}
    assert config_file(None, cwd=work, environ=env) == user
    local = _write(work / "cbss.toml", 'cbe = "0203201340"\n')
    assert config_file(None, cwd=work, environ=env) == local
    assert load_settings({}, environ=env, cwd=work).cbe == "0203201340"


def test_home_config_without_xdg(work: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    user = _write(home / ".config" / "cbss" / "config.toml", "sector = 17\n")
    assert config_file(None, cwd=work, environ={"HOME": str(home)}) == user


def test_explicit_config_must_exist(work: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        load_settings({}, config=str(work / "missing.toml"), environ={}, cwd=work)


def test_explicit_config_beats_the_default_one(work: Path) -> None:
    _write(work / "cbss.toml", 'environment = "test"\n')
    other = _write(work / "other.toml", 'environment = "prod"\n')
    settings = load_settings({}, config=str(other), environ={}, cwd=work)
    assert settings.environment == "prod"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('environmnet = "test"\n', "unknown setting 'environmnet'"),
        ('cert_password = "secret"\n', "do not store the certificate password"),
        ('password = "secret"\n', "do not store the certificate password"),
        ('environment = "production"\n', "environment must be one of"),
        ("sector = 1000\n", "sector must be a number from 0 to 999"),
        ('timeout = "-3"\n', "timeout must be a positive number"),
        ("verification = true\n", "verification must be a string or a number"),
        ("environment = [", "not valid TOML"),
    ],
)
def test_bad_file_is_a_usage_error(work: Path, toml: str, message: str) -> None:
    _write(work / "cbss.toml", toml)
    with pytest.raises(UsageError, match=message) as info:
        load_settings({}, environ={}, cwd=work)
    assert "secret" not in str(info.value)


def test_bad_environment_variable_names_it(work: Path) -> None:
    with pytest.raises(UsageError, match="CBSS_SECTOR must be a number from 0 to 999"):
        load_settings({}, environ={"CBSS_SECTOR": "abc"}, cwd=work)
    with pytest.raises(UsageError, match="CBSS_ENV must be one of"):
        load_settings({}, environ={"CBSS_ENV": "staging"}, cwd=work)


def test_bad_flag_names_it(work: Path) -> None:
    with pytest.raises(UsageError, match="--timeout must be a positive number"):
        load_settings({"timeout": "0"}, environ={}, cwd=work)


def test_empty_environment_variable_counts_as_unset(work: Path) -> None:
    _write(work / "cbss.toml", 'cbe = "0212344876"\n')
    settings = load_settings({}, environ={"CBSS_CBE": "  "}, cwd=work)
    assert settings.cbe == "0212344876"


def test_simulator_with_base_url_is_refused(work: Path) -> None:
    with pytest.raises(UsageError, match="in-process simulator has no base URL"):
        load_settings(
            {"environment": "simulator"}, environ={"CBSS_BASE_URL": "http://x/"}, cwd=work
        )


def test_password_order() -> None:
    env = {"CBSS_CERT_PASSWORD": "from-default", "MY_PW": "from-named"}
    # --password-env names the variable: it beats CBSS_CERT_PASSWORD.
    assert read_password("f.p12", password_env="MY_PW", from_flag=True, environ=env) == "from-named"
    # password_env from the file comes after CBSS_CERT_PASSWORD.
    assert (
        read_password("f.p12", password_env="MY_PW", from_flag=False, environ=env) == "from-default"
    )
    assert (
        read_password("f.p12", password_env="MY_PW", from_flag=False, environ={"MY_PW": "x"}) == "x"
    )
    assert read_password("f.p12", password_env=None, from_flag=False, environ={}) is None
    with pytest.raises(UsageError, match=r"MY_PW .* is not set"):
        read_password("f.p12", password_env="MY_PW", from_flag=True, environ={})


def test_config_command_shows_values_and_sources(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, work: Path
) -> None:
    _write(work / "cbss.toml", FULL_TOML)
    monkeypatch.setenv("CBSS_CBE", "0203201340")
    monkeypatch.setenv("CBSS_CERT_PASSWORD", "top-secret-value")
    result = run(capsys, "config", "--env", "prod", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    settings = data["settings"]
    assert settings["environment"] == {"value": "prod", "source": "flag"}
    assert settings["cbe"] == {"value": "0203201340", "source": "env CBSS_CBE"}
    assert settings["sector"]["value"] == "17"
    assert settings["sector"]["source"].startswith("file ")
    assert settings["password"] == {"value": "set", "source": "env CBSS_CERT_PASSWORD"}
    assert "top-secret-value" not in result.out
    table = run(capsys, "config")
    assert table.code == 0
    assert "env CBSS_CBE" in table.out
    assert "top-secret-value" not in table.out


def test_config_command_bad_file_is_one_line(
    capsys: pytest.CaptureFixture[str], work: Path
) -> None:
    _write(work / "cbss.toml", "timout = 3\n")
    result = run(capsys, "config")
    assert_one_error_line(result, 2, "unknown setting 'timout'")


def test_settings_defaults() -> None:
    settings = Settings()
    assert settings.source("environment") == "default"
    assert not settings.is_simulator
