"""
peer_fetch.py: glue: a PASSporT's x5u fetched from the harness's loopback certificate repository.

The harness (run --x5u-serve / --x5u-fetch-only) sends input.x5u_fetch {"<x5u URL>": "<loopback
URL>"}: the x5u value is signed and cannot be rewritten, so the map says where the same bytes are
served here. Only used when input.x5u_map is absent. Bounded: plain http://127.0.0.1 URLs only,
no proxy, no redirect, MAX_BYTES per answer, TIMEOUT seconds, status 200 only; the body
(application/pem-certificate-chain) is split into its CERTIFICATE blocks. urllib from the
standard library does the HTTP; nothing here is credited to jwcrypto or pyOpenSSL.
"""
import http.client
import re
import urllib.error
import urllib.parse
import urllib.request

MAX_BYTES = 256 * 1024
TIMEOUT = 3
PEM_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----\r?\n.*?-----END CERTIFICATE-----", re.S)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: PLR0913
        return None  # a redirect becomes an HTTPError: never follow one off loopback


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def loopback(url):
    """True for http://127.0.0.1[:port]/path and nothing else."""
    try:
        u = urllib.parse.urlsplit(url)
        port = u.port
    except ValueError:
        return False
    return (u.scheme == "http" and u.hostname == "127.0.0.1" and u.username is None
            and u.password is None and (port is None or 0 < port < 65536)
            and u.netloc.startswith("127.0.0.1") and url.isascii())


def fetch_chain(url):
    """The PEM certificates served at a loopback URL (leaf first), or None."""
    if not isinstance(url, str) or not loopback(url):
        return None
    try:
        with _OPENER.open(url, timeout=TIMEOUT) as resp:
            if resp.status != 200:
                return None
            body = resp.read(MAX_BYTES + 1)
    except (OSError, ValueError, http.client.HTTPException, urllib.error.URLError):
        return None
    if len(body) > MAX_BYTES:
        return None
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        return None
    blocks = [b + "\n" for b in PEM_BLOCK.findall(text)]
    return blocks or None
