"""Who the client is behind a reverse proxy: forwarded headers only from trusted proxies.

Anyone can send `X-Forwarded-For`; believing it from anyone lets a client write any address
into the audit trail and dodge the per-address login throttle. So the headers count only
when the direct peer is a configured proxy (FRONTLINE_TRUSTED_PROXIES), and then the client
is the right-most address no trusted proxy added. This is the only place that reads them:
`frontline serve` runs uvicorn with its own proxy handling off.
"""

from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from starlette.types import Scope

Network = IPv4Network | IPv6Network


def parse_networks(text: str) -> tuple[Network, ...]:
    """Comma-separated addresses and CIDRs; raises ValueError on anything else."""
    return tuple(ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())


def _address(text: str) -> IPv4Address | IPv6Address | None:
    text = text.strip()
    candidates = [text]
    if text.startswith("["):  # [2001:db8::1]:443
        candidates.append(text[1:].partition("]")[0])
    elif text.count(":") == 1:  # 203.0.113.7:51234
        candidates.append(text.partition(":")[0])
    for candidate in candidates:
        try:
            return ip_address(candidate)
        except ValueError:
            continue
    return None


def _trusted(address: IPv4Address | IPv6Address | None, networks: Iterable[Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(peer: str, forwarded_for: list[str], networks: tuple[Network, ...]) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy that forwarded one."""
    if not _trusted(_address(peer), networks):
        return peer
    hops = [hop for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # A proxy we trust wrote this hop; garbage means no usable answer from it.
            return peer
        if not _trusted(address, networks):
            return str(address)
    # Every hop is one of our proxies: the left-most is the nearest thing to a client.
    first = _address(hops[0]) if hops else None
    return str(first) if first else peer


def forwarded_scope(scope: Scope, trusted: tuple[Network, ...]) -> Scope:
    """The scope with the client address and scheme a trusted proxy forwarded, if any."""
    client = scope.get("client")
    if not trusted or not client or scope["type"] not in ("http", "websocket"):
        return scope
    peer = str(client[0])
    if not _trusted(_address(peer), trusted):
        return scope
    headers = scope.get("headers", [])
    forwarded_for = [v.decode("latin-1") for k, v in headers if k == b"x-forwarded-for"]
    protos = [v.decode("latin-1") for k, v in headers if k == b"x-forwarded-proto"]
    scope = dict(scope)
    scope["client"] = (client_address(peer, forwarded_for, trusted), 0)
    proto = protos[-1].split(",")[-1].strip().lower() if protos else ""
    if proto in ("http", "https"):
        secure = proto == "https"
        if scope["type"] == "websocket":
            scope["scheme"] = "wss" if secure else "ws"
        else:
            scope["scheme"] = proto
    return scope
