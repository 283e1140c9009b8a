"""How the ``cbss`` command fails: one masked line on stderr and an exit code, never a traceback.

Every problem a user can cause (a bad SSIN, a wrong password, a missing
certificate, an unreachable host, a CBSS refusal, a SOAP fault, a bad
``--param``) ends as ``cbss: error: <one line>``.  Exit code 2 means the
command line or the configuration is wrong (nothing was sent); 1 means the
command ran and something failed (credentials, network, CBSS's answer).
The line goes through the national-number mask whatever produced it.
"""

from __future__ import annotations

from .. import errors
from .._redact import mask_national_numbers

__all__ = [
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "CliError",
    "UsageError",
    "describe_error",
    "one_line",
]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A failure the command reports as one line (exit code 1 unless told otherwise)."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(CliError):
    """The command line or the configuration is wrong; nothing was sent (exit code 2)."""

    exit_code = EXIT_USAGE


def one_line(text: str) -> str:
    """*text* masked and folded onto one line."""
    return " ".join(mask_national_numbers(text).split())


# Error families whose message is the whole story; a short prefix says which kind it is.
_PREFIXES: tuple[tuple[type[errors.CbssError], str], ...] = (
    (errors.InvalidIdentifier, "invalid argument"),
    (errors.RequestValidationError, "invalid argument"),
    (errors.ConfigurationError, "configuration"),
    (errors.CredentialsError, "certificate"),
    (errors.CbssTimeout, "timeout"),
    (errors.TransportError, "cannot reach CBSS"),
    (errors.CbssHttpError, "HTTP error"),
    (errors.SignatureError, "signature"),
    (errors.SoapFault, "CBSS fault"),
    (errors.XmlError, "unreadable reply"),
    (errors.ProtocolError, "unexpected reply"),
    (errors.CbssBusinessError, "CBSS refused"),
)


def _business(exc: errors.CbssBusinessError) -> str:
    text = str(exc)
    if isinstance(exc, errors.SsinReplaced) and exc.replacement:
        # The replacement is the user's own data but still a national number: keep it off
        # the error line and say where it is.
        text += " (the replacement number is in the reply: run with --json)"
    return text


def describe_error(exc: BaseException) -> tuple[str, int]:
    """The one-line message (without the ``cbss: error:`` prefix) and exit code for *exc*."""
    if isinstance(exc, CliError):
        return one_line(exc.message), exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", EXIT_INTERRUPTED
    if isinstance(exc, errors.CbssError):
        code = (
            EXIT_USAGE
            if isinstance(exc, (errors.RequestValidationError, errors.ConfigurationError))
            else EXIT_FAILURE
        )
        text = _business(exc) if isinstance(exc, errors.CbssBusinessError) else str(exc)
        if isinstance(exc, errors.SignatureError):
            text += f" (reason: {exc.reason})"
        prefix = next((p for kind, p in _PREFIXES if isinstance(exc, kind)), "CBSS error")
        if isinstance(exc, errors.RequestValidationError) and exc.field:
            prefix += f" {exc.field}"
        return one_line(f"{prefix}: {text}"), code
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return one_line(f"{where}{exc.strerror or type(exc).__name__}"), EXIT_FAILURE
    return (
        one_line(
            f"internal error ({type(exc).__name__}); run again with --debug for the "
            "traceback and report it"
        ),
        EXIT_FAILURE,
    )
