//! The client's address, for rate limits and logs: the peer of the connection, unless that peer is
//! one of the configured trusted proxies (`TROIKA_TRUSTED_PROXIES`), in which case the nearest
//! address in `X-Forwarded-For` that is not itself a trusted proxy. A client can write anything in
//! that header, so it is believed only as far as the proxies we run.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

/// The client's address, as request extension (server functions read it from the request parts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// Parses `TROIKA_TRUSTED_PROXIES`: addresses or networks, separated by commas or spaces.
pub fn parse_proxies(raw: &str) -> Result<Vec<IpNet>, String> {
    raw.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("TROIKA_TRUSTED_PROXIES: {s:?} is not an address or a network like 10.0.0.0/8"))
        })
        .collect()
}

/// The client's address for a connection from `peer` with these headers.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&canonical(*ip)));
    if !is_trusted(&peer) {
        return canonical(peer);
    }
    // Proxies append the address they saw: read from the right, past our own proxies.
    let hops: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).collect();
    let mut client = canonical(peer);
    for hop in hops.iter().rev() {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = canonical(ip);
                if !is_trusted(&client) {
                    break;
                }
            }
            // Garbage where an address should be: stop at the last address we could trust.
            Err(_) => break,
        }
    }
    client
}

/// IPv4 addresses written as IPv6 (`::ffff:1.2.3.4`) count as the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn xff(v: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static(v));
        h
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxies = parse_proxies("10.0.0.0/8, 192.168.1.1").unwrap();
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let stranger: IpAddr = "203.0.113.9".parse().unwrap();
        // A client talking to us directly cannot choose its address.
        assert_eq!(client_addr(stranger, &xff("1.2.3.4"), &proxies), stranger);
        // Behind our proxy: the address the proxy saw, not what the client wrote before it.
        assert_eq!(client_addr(proxy, &xff("1.2.3.4, 198.51.100.7"), &proxies), "198.51.100.7".parse::<IpAddr>().unwrap());
        assert_eq!(client_addr(proxy, &xff("198.51.100.7, 192.168.1.1"), &proxies), "198.51.100.7".parse::<IpAddr>().unwrap());
        assert_eq!(client_addr(proxy, &HeaderMap::new(), &proxies), proxy);
        assert_eq!(client_addr(proxy, &xff("not-an-ip"), &proxies), proxy);
        assert_eq!(client_addr("::ffff:203.0.113.9".parse().unwrap(), &HeaderMap::new(), &[]), stranger);
        assert!(parse_proxies("10.0.0.0/33").is_err());
        assert_eq!(parse_proxies("").unwrap(), vec![]);
    }
}
