"""A message's identity across sources: its `uri`, normalised so two sources' spellings agree."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..textsafe import clean_line

_TRACKING_PREFIXES = ("utm_",)
_TRACKING = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid", "ref_src"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def uri_key(uri: str | None) -> str | None:
    """The key the store deduplicates on, or None when the message has no global identity.

    Web addresses lose what does not name the item: scheme and host case, the default port, the
    fragment, a trailing slash and tracking parameters (utm_*, fbclid…). Other schemes (at://,
    tag:) are kept as they are, apart from surrounding whitespace.
    """
    uri = clean_line(uri)
    if not uri:
        return None
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return uri
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return uri
    host = parts.hostname.lower()
    if port and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in _TRACKING and not k.lower().startswith(_TRACKING_PREFIXES)]
    path = parts.path.rstrip("/") if parts.path not in ("", "/") else ""
    # Both schemes name the same page: an alert's http link and the feed's https one agree.
    return urlunsplit(("https", host, path, urlencode(query), ""))
