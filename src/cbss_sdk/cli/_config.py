"""Configuration of the commands that talk to CBSS: flags, then environment variables, then a TOML file.

Each setting is looked up in that order and the first source that has it
wins, so a command line can override a shared configuration for one run.
The TOML file is ``--config FILE`` when given, else ``./cbss.toml``, else
``$XDG_CONFIG_HOME/cbss/config.toml`` (``~/.config/cbss/config.toml``).
Paths in the file are relative to the file.

The certificate password is never a flag value nor a file entry (both leak:
the process list, backups); it comes from an environment variable
(``CBSS_CERT_PASSWORD``, or the one named by ``--password-env`` /
``password_env``) or from a prompt on a terminal.
"""

from __future__ import annotations

import getpass
import os
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from .._redact import mask_national_numbers
from ._errors import CliError, UsageError

__all__ = [
    "ENVIRONMENTS",
    "SETTINGS",
    "Settings",
    "check_variable_name",
    "config_file",
    "load_settings",
    "read_password",
    "read_toml",
]

#: Values accepted for ``--env`` / ``CBSS_ENV`` / ``environment``.
ENVIRONMENTS = ("test", "acpt", "prod", "simulator")
VERIFICATION_POLICIES = ("required", "if_present", "off")
_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _environment(value: str) -> str:
    name = value.strip().lower()
    if name not in ENVIRONMENTS:
        raise ValueError("must be one of " + ", ".join(ENVIRONMENTS))
    return name


def _verification(value: str) -> str:
    name = value.strip().lower().replace("-", "_")
    if name not in VERIFICATION_POLICIES:
        raise ValueError("must be one of " + ", ".join(VERIFICATION_POLICIES))
    return name


def _code(value: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise ValueError("must be a number from 0 to 999") from None
    if not 0 <= number <= 999:
        raise ValueError("must be a number from 0 to 999")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value.strip())
    except ValueError:
        raise ValueError("must be a positive number of seconds") from None
    if not number > 0 or number != number or number == float("inf"):
        raise ValueError("must be a positive number of seconds")
    return number


def _text(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("must not be empty")
    return text


def check_variable_name(value: str) -> str:
    name = value.strip()
    if not _VARIABLE_NAME.match(name):
        raise ValueError("must be the name of an environment variable, not a password")
    return name


@attrs.frozen
class _Key:
    """One setting: its environment variable, its converter, whether it is a path."""

    name: str
    env: str | None
    convert: Callable[[str], Any]
    path: bool = False
    help: str = ""


#: Every setting, in the order ``cbss config`` shows them.
SETTINGS: tuple[_Key, ...] = (
    _Key("environment", "CBSS_ENV", _environment, help="test, acpt, prod or simulator"),
    _Key("base_url", "CBSS_BASE_URL", _text, help="SOA base URL (a proxy, a simulator)"),
    _Key("cert", "CBSS_CERT", _text, path=True, help="PKCS#12 file of the organisation"),
    _Key(
        "password_env", None, check_variable_name, help="variable holding the certificate password"
    ),
    _Key("cbe", "CBSS_CBE", _text, help="CBE number of the organisation"),
    _Key("sector", "CBSS_SECTOR", _code, help="sector (17 = CPAS)"),
    _Key("institution", "CBSS_INSTITUTION", _code, help="institution (1 = CPAS)"),
    _Key("ssdn_user", "CBSS_SSDN_USER", _text, help="SSDN user id (legacy services)"),
    _Key("ssdn_email", "CBSS_SSDN_EMAIL", _text, help="SSDN contact e-mail"),
    _Key(
        "ca_bundle",
        "CBSS_CA_BUNDLE",
        _text,
        path=True,
        help="PEM certificates trusted for CBSS reply signatures",
    ),
    _Key("timeout", "CBSS_TIMEOUT", _seconds, help="seconds per connect/read/write"),
    _Key(
        "verification",
        "CBSS_VERIFICATION",
        _verification,
        help="reply signatures: required, if_present, off",
    ),
)
_BY_NAME = {key.name: key for key in SETTINGS}
_TOML_ALIASES = {"env": "environment"}
_FORBIDDEN_TOML = {"password", "cert_password", "pkcs12_password"}

PASSWORD_VARIABLE = "CBSS_CERT_PASSWORD"  # noqa: S105 - a variable name, not a password


@attrs.frozen
class Settings:
    """The resolved configuration; ``sources`` says where each value came from."""

    environment: str | None = None
    base_url: str | None = None
    cert: str | None = None
    password_env: str | None = None
    cbe: str | None = None
    sector: int | None = None
    institution: int | None = None
    ssdn_user: str | None = None
    ssdn_email: str | None = None
    ca_bundle: str | None = None
    timeout: float | None = None
    verification: str | None = None
    config_path: str | None = None
    sources: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def is_simulator(self) -> bool:
        return self.environment == "simulator"

    def source(self, name: str) -> str:
        return self.sources.get(name, "default")


def config_file(
    explicit: str | None, *, cwd: Path | None = None, environ: Mapping[str, str] | None = None
) -> Path | None:
    """The TOML file to read: ``explicit`` (must exist), else the first default that exists."""
    env = os.environ if environ is None else environ
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise UsageError(f"--config {explicit}: no such file")
        return path
    here = (cwd or Path.cwd()) / "cbss.toml"
    if here.is_file():
        return here
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    user = Path(base).expanduser() / "cbss" / "config.toml"
    return user if user.is_file() else None


def _toml_module() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    try:  # pragma: no cover - Python 3.10 only
        import tomli  # type: ignore[import-not-found, unused-ignore]
    except ImportError:  # pragma: no cover
        raise CliError(
            'reading cbss.toml on Python 3.10 needs tomli: pip install "cbss-sdk[cli]"'
        ) from None
    return tomli  # pragma: no cover


def read_toml(path: Path) -> dict[str, Any]:
    """The settings of a TOML configuration file, keys checked, paths made absolute."""
    toml = _toml_module()
    try:
        with path.open("rb") as handle:
            data = toml.load(handle)
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    except toml.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    values: dict[str, Any] = {}
    for raw_key, raw in data.items():
        key = _TOML_ALIASES.get(raw_key, raw_key)
        if key in _FORBIDDEN_TOML:
            raise UsageError(
                f"{path}: '{raw_key}' is refused: do not store the certificate password in a "
                f"file; set {PASSWORD_VARIABLE} or name a variable with password_env"
            )
        spec = _BY_NAME.get(key)
        if spec is None:
            valid = ", ".join(k.name for k in SETTINGS)
            raise UsageError(f"{path}: unknown setting '{raw_key}' (valid: {valid})")
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            raise UsageError(f"{path}: {key} must be a string or a number")
        try:
            value = spec.convert(str(raw))
        except ValueError as exc:
            raise UsageError(f"{path}: {key} {exc}") from None
        if spec.path:
            value = str((path.parent / Path(value).expanduser()).resolve())
        values[key] = value
    return values


def load_settings(
    flags: Mapping[str, Any],
    *,
    config: str | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Resolve every setting: ``flags`` (``None`` = not given) > ``environ`` > the TOML file."""
    env = os.environ if environ is None else environ
    path = config_file(config, cwd=cwd, environ=env)
    from_file = read_toml(path) if path is not None else {}
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for spec in SETTINGS:
        flag = flags.get(spec.name)
        if flag is not None:
            try:
                values[spec.name] = spec.convert(str(flag))
            except ValueError as exc:
                option = "--" + spec.name.replace("_", "-")
                raise UsageError(f"{option} {exc}") from None
            sources[spec.name] = "flag"
            continue
        raw = env.get(spec.env) if spec.env else None
        if raw is not None and raw.strip():
            try:
                values[spec.name] = spec.convert(raw)
            except ValueError as exc:
                raise UsageError(f"{spec.env} {exc}") from None
            sources[spec.name] = f"env {spec.env}"
            continue
        if spec.name in from_file:
            values[spec.name] = from_file[spec.name]
            sources[spec.name] = f"file {path}"
    if values.get("environment") == "simulator" and values.get("base_url"):
        raise UsageError(
            "the in-process simulator has no base URL: drop --env simulator to reach a "
            "`cbss simulator` server by its base URL, or drop the base URL"
        )
    return Settings(**values, config_path=str(path) if path is not None else None, sources=sources)


def read_password(
    source: str,
    *,
    password_env: str | None,
    from_flag: bool,
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """The certificate password from the environment, or ``None`` when none is configured.

    Order: the variable named by ``--password-env`` (*from_flag*), then
    ``CBSS_CERT_PASSWORD``, then the variable named by ``password_env`` in the
    configuration file.  ``None`` means "none configured": the caller tries
    the file without a password, then :func:`prompt_password`.  A variable
    named explicitly but not set is an error (a typo would otherwise look like
    a wrong password).
    """
    env = os.environ if environ is None else environ
    if password_env is not None and not _VARIABLE_NAME.match(password_env):
        # Somebody typed the password itself: do not echo it.
        raise UsageError(
            "--password-env expects the name of an environment variable (letters, digits, _), "
            "not a password"
        )
    named = password_env if from_flag else None
    if named is None and env.get(PASSWORD_VARIABLE) is not None:
        return env[PASSWORD_VARIABLE]
    named = named or password_env
    if named is None:
        return None
    value = env.get(named)
    if value is None:
        raise UsageError(
            f"the password variable {named} (named by password_env) is not set; "
            f"it should hold the password of {source}"
        )
    return value


def prompt_password(source: str) -> str | None:
    """Ask for the password on the terminal (``None`` when stdin is not a terminal)."""
    if not sys.stdin.isatty():
        return None
    try:
        return getpass.getpass(f"Password for {mask_national_numbers(source)}: ")
    except (EOFError, KeyboardInterrupt):
        raise CliError("no password given") from None
