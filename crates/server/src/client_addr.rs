//! The client's address, behind reverse proxies too.
//!
//! Behind nginx or Caddy every connection comes from the proxy: counted as the client, one
//! attacker would make the sign-in throttle block everyone. With `--trusted-proxies` naming the
//! proxies, and only for connections from one of them, the client's address is read from the
//! forwarding headers: the right-most address that is not itself a trusted proxy (each proxy
//! appends the address it received the request from, so everything to the left of the first
//! untrusted one may have been written by the client). From any other peer the headers are
//! ignored: anyone can write them.
//!
//! `X-Forwarded-For` is read when present (nginx, Caddy, Traefik, HAProxy, Apache write it),
//! else `Forwarded` (RFC 7239). A proxy that writes only `Forwarded` must drop the
//! `X-Forwarded-For` its clients send.
//!
//! The address found is put in the request's extensions as [`ClientAddr`], once, by
//! [`resolve`]; everything that wants the client's address reads it from there
//! ([`crate::extract::source_of`]): the throttle, the audit log, the sessions list.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The client's address as [`resolve`] found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The proxies whose forwarding headers are believed. Empty by default: no header is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

/// A `--trusted-proxies` entry that is neither an address nor a range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadProxy(pub String);

impl TrustedProxies {
    /// `ADDR[,CIDR…]`: addresses (`127.0.0.1`, `::1`) and ranges (`10.0.0.0/8`,
    /// `fd00::/8`), separated by commas or spaces; an empty list trusts nobody.
    pub fn parse(list: &str) -> Result<Self, BadProxy> {
        list.split([',', ' ', '\t', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map(|n| n.trunc())
                    .map_err(|_| BadProxy(s.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client's address, for a request from `peer` with these headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let chain = forwarded_chain(headers);
        // From the right: the first address that is not a proxy of ours. An entry that is not
        // an address ("unknown", an obfuscated name) was written by a trusted proxy that did
        // not know: nothing to its left can be believed, and the last trusted hop stands for
        // the client.
        let mut client = peer;
        for entry in chain.iter().rev() {
            match entry {
                Some(ip) if self.trusts(*ip) => client = *ip,
                Some(ip) => return *ip,
                None => return client,
            }
        }
        client
    }
}

/// The addresses the forwarding headers list, left to right (`None` for an entry that is not
/// an address): `X-Forwarded-For` when there is one, else `Forwarded`'s `for=` parameters.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect()
    };
    let xff = values("x-forwarded-for");
    if !xff.is_empty() {
        return xff
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(parse_node)
            .collect();
    }
    values("forwarded")
        .iter()
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| parse_node(v.trim().trim_matches('"')))
            })
        })
        .collect()
}

/// One node of a forwarding header: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`,
/// `[2001:db8::1]:4711`.
fn parse_node(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Some(sa.ip().to_canonical());
    }
    s.strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .and_then(|(ip, _)| ip.parse::<IpAddr>().ok())
        .map(|ip| ip.to_canonical())
}

/// Finds the client's address of each request, before any handler runs.
pub async fn resolve(
    State(proxies): State<Arc<TrustedProxies>>,
    mut req: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let client = proxies.client(peer.ip(), req.headers());
        req.extensions_mut().insert(ClientAddr(client));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn parses_addresses_and_ranges() {
        let p = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8,::1 fd00::/8").expect("parse");
        assert_eq!(p.0.len(), 4);
        assert!(p.trusts(ip("10.1.2.3")));
        assert!(p.trusts(ip("127.0.0.1")));
        assert!(!p.trusts(ip("127.0.0.2")));
        assert!(p.trusts(ip("::1")));
        assert!(p.trusts(ip("fd12::5")));
        // An IPv4 peer seen on an IPv6 socket is the same peer.
        assert!(p.trusts(ip("::ffff:10.0.0.1")));
        // Host bits in a range are tolerated (10.1.2.3/8 is 10.0.0.0/8).
        assert!(
            TrustedProxies::parse("10.1.2.3/8")
                .expect("parse")
                .trusts(ip("10.200.0.1"))
        );
        assert!(TrustedProxies::parse("").expect("empty").is_empty());
        assert!(TrustedProxies::parse(" , ").expect("empty").is_empty());
        assert_eq!(
            TrustedProxies::parse("127.0.0.1,nginx"),
            Err(BadProxy("nginx".into()))
        );
        assert_eq!(
            TrustedProxies::parse("10.0.0.0/33"),
            Err(BadProxy("10.0.0.0/33".into()))
        );
    }

    #[test]
    fn without_trusted_proxies_the_headers_are_ignored() {
        let none = TrustedProxies::default();
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("forwarded", "for=1.2.3.4"),
        ]);
        assert_eq!(none.client(ip("192.0.2.7"), &h), ip("192.0.2.7"));
    }

    #[test]
    fn spoofed_headers_from_an_untrusted_peer_are_ignored() {
        let p = TrustedProxies::parse("127.0.0.1").expect("parse");
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(p.client(ip("192.0.2.7"), &h), ip("192.0.2.7"));
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        let p = TrustedProxies::parse("127.0.0.1,10.0.0.0/8").expect("parse");
        let peer = ip("127.0.0.1");
        // nginx appended the client's address to what the client claimed.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.4")]);
        assert_eq!(p.client(peer, &h), ip("198.51.100.4"));
        // Two proxies of ours: the CDN's edge, then nginx.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.4, 10.0.0.5")]);
        assert_eq!(p.client(peer, &h), ip("198.51.100.4"));
        // Several header lines make one list, in order.
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "198.51.100.4,10.0.0.5"),
        ]);
        assert_eq!(p.client(peer, &h), ip("198.51.100.4"));
        // Ports and brackets, as some proxies write them.
        let h = headers(&[("x-forwarded-for", "[2001:db8::7]:4711")]);
        assert_eq!(p.client(peer, &h), ip("2001:db8::7"));
        let h = headers(&[("x-forwarded-for", "198.51.100.4:51000")]);
        assert_eq!(p.client(peer, &h), ip("198.51.100.4"));
        // Every hop trusted: the farthest one.
        let h = headers(&[("x-forwarded-for", "10.0.0.9, 10.0.0.5")]);
        assert_eq!(p.client(peer, &h), ip("10.0.0.9"));
        // A trusted proxy that did not know: the last trusted hop, not the client's claim.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, unknown, 10.0.0.5")]);
        assert_eq!(p.client(peer, &h), ip("10.0.0.5"));
        // No header at all: the proxy itself.
        assert_eq!(p.client(peer, &HeaderMap::new()), peer);
    }

    #[test]
    fn forwarded_is_read_when_there_is_no_x_forwarded_for() {
        let p = TrustedProxies::parse("127.0.0.1").expect("parse");
        let peer = ip("127.0.0.1");
        let h = headers(&[(
            "forwarded",
            "for=6.6.6.6;proto=https, for=\"[2001:db8:cafe::17]:4711\";by=127.0.0.1",
        )]);
        assert_eq!(p.client(peer, &h), ip("2001:db8:cafe::17"));
        let h = headers(&[("forwarded", "proto=https;For=198.51.100.4")]);
        assert_eq!(p.client(peer, &h), ip("198.51.100.4"));
        let h = headers(&[("forwarded", "for=_hidden")]);
        assert_eq!(p.client(peer, &h), peer);
        // Both: X-Forwarded-For, which the usual proxies write (a client's Forwarded passes
        // through them untouched).
        let h = headers(&[
            ("forwarded", "for=6.6.6.6"),
            ("x-forwarded-for", "198.51.100.4"),
        ]);
        assert_eq!(p.client(peer, &h), ip("198.51.100.4"));
    }
}
