"""Credentials are references, never values: `env:NAME` or `keyring:service/account`.

The config file only ever holds a reference; the value is looked up when a source needs it and
lives in memory only. A literal token in the file is refused (`check_reference`) with a message
saying how to store it instead. Values never reach the database, a log line or an error message.
"""

from __future__ import annotations

import os
import re

from .sources.base import AuthError

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

HOW_TO_STORE = (
    "store the token outside the file: `export NAME=...` and write \"env:NAME\", "
    "or `keyring set SERVICE ACCOUNT` and write \"keyring:SERVICE/ACCOUNT\""
)


class CredentialError(AuthError):
    """A referenced credential cannot be found: the source needs the user to provide it."""


def check_reference(value: object) -> str | None:
    """None when `value` is a well-formed reference; otherwise the reason, in words.

    The reason never repeats the value: it may be a real token pasted by mistake.
    """
    if not isinstance(value, str):
        return "must be a reference in quotes, like \"env:MASTODON_TOKEN\""
    scheme, _, rest = value.partition(":")
    if scheme == "env":
        if _ENV_NAME.match(rest):
            return None
        return "env: must be followed by an environment variable name, like \"env:MASTODON_TOKEN\""
    if scheme == "keyring":
        service, _, account = rest.partition("/")
        if service and account:
            return None
        return "keyring: must name a service and an account, like \"keyring:cminbox/mastodon-brioche\""
    return f"looks like a literal secret, which is never kept in the config file: {HOW_TO_STORE}"


def describe(reference: str) -> str:
    """Where a reference points, for messages (never the value)."""
    scheme, _, rest = reference.partition(":")
    if scheme == "env":
        return f"environment variable {rest}"
    service, _, account = rest.partition("/")
    return f"system keyring entry {service}/{account}"


def resolve(reference: str) -> str:
    """The secret a reference points to, or `CredentialError` saying what to set."""
    problem = check_reference(reference)
    if problem:
        raise CredentialError(problem)
    scheme, _, rest = reference.partition(":")
    if scheme == "env":
        value = os.environ.get(rest, "")
        if not value.strip():
            raise CredentialError(f"environment variable {rest} is not set: export it before starting cminbox")
        return value.strip()
    service, _, account = rest.partition("/")
    try:
        import keyring  # imported on use: it probes the system's backends
        from keyring.errors import KeyringError

        try:
            value = keyring.get_password(service, account)
        except KeyringError as error:
            raise CredentialError(
                f"the system keyring cannot be read ({type(error).__name__}): "
                "use an env: reference instead, or unlock the keyring"
            ) from None
    except ImportError:
        raise CredentialError("keyring: references need the `keyring` package") from None
    if not value:
        raise CredentialError(
            f"no secret in the system keyring for {service}/{account}: run `keyring set {service} {account}`"
        )
    return value
