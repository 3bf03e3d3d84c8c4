//! The guard against server-side request forgery shared by the crawler and the single-page fetch: which
//! addresses are public, and a DNS resolver for the HTTP client that refuses host names resolving to
//! anything else. The client connects only to the addresses the resolver returned, so the check and the
//! connection use the same answer (DNS cannot change it in between); host names that are IP literals
//! never reach a resolver and are checked by [`crate::fetch::Fetcher`] before each request.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// A request refused because its host is, or resolves to, a non-public address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressRefused(pub String);

impl std::fmt::Display for AddressRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AddressRefused {}

/// Checks an address of `host`; `Err` names the host and the address.
pub fn check_ip(host: &str, ip: IpAddr) -> Result<(), AddressRefused> {
    if is_public(ip) { Ok(()) } else { Err(AddressRefused(format!("{host} resolves to the non-public address {ip}"))) }
}

/// A resolver that answers only with public addresses, refusing the whole name when any of its
/// addresses is not public (a name with one public and one private address could otherwise be used to
/// reach the private one).
#[derive(Debug, Clone, Copy, Default)]
pub struct PublicOnlyResolver;

impl reqwest::dns::Resolve for PublicOnlyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let lookup = tokio::time::timeout(Duration::from_secs(10), tokio::net::lookup_host((host.as_str(), 0)))
                .await
                .map_err(|_| format!("timed out resolving {host}"))??;
            let addrs: Vec<SocketAddr> = lookup.collect();
            for a in &addrs {
                check_ip(&host, a.ip())?;
            }
            Ok::<reqwest::dns::Addrs, Box<dyn std::error::Error + Send + Sync>>(Box::new(addrs.into_iter()))
        })
    }
}

/// Whether an address is on the public internet. Refused: loopback, private (RFC 1918), link-local,
/// carrier-grade NAT, "this network", IETF protocol assignments, documentation and benchmarking ranges,
/// multicast, reserved and broadcast; for IPv6 also unique-local, link- and site-local, IPv4-mapped and
/// -compatible forms of refused IPv4 addresses, NAT64 (`64:ff9b::/96`, `64:ff9b:1::/48`), 6to4
/// (`2002::/16`, which embeds an IPv4 address), Teredo and other IETF assignments in `2001::/23`,
/// and documentation prefixes.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
                || (o[0] == 198 && (18..20).contains(&o[1]))
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // ::/96, the deprecated IPv4-compatible addresses (and everything else under ::/8).
                || s[0] == 0
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                // fec0::/10, site-local (deprecated, still routed inside some networks).
                || (s[0] & 0xffc0) == 0xfec0
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || (s[0] == 0x3fff && s[1] < 0x1000)
                // 2001::/23: Teredo (2001::/32), benchmarking, ORCHID and other IETF assignments.
                || (s[0] == 0x2001 && s[1] < 0x0200)
                || s[0] == 0x2002
                || (s[0] == 0x64 && s[1] == 0xff9b))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_pass() {
        for (ip, public) in [
            ("8.8.8.8", true),
            ("127.0.0.1", false),
            ("10.1.2.3", false),
            ("172.16.0.1", false),
            ("192.168.1.1", false),
            ("169.254.169.254", false),
            ("100.64.0.1", false),
            ("0.0.0.0", false),
            ("255.255.255.255", false),
            ("::1", false),
            ("::", false),
            ("fd00::1", false),
            ("fe80::1", false),
            ("::ffff:127.0.0.1", false),
            ("::ffff:8.8.8.8", true),
            // The ranges the review found missing.
            ("2002:a9fe:a9fe::1", false),
            ("64:ff9b::a9fe:a9fe", false),
            ("64:ff9b:1::1", false),
            ("fec0::1", false),
            ("::a9fe:a9fe", false),
            ("::7f00:1", false),
            ("2001::1", false),
            ("2001:0:4136:e378::1", false),
            ("2001:db8::1", false),
            ("2606:4700::1111", true),
            ("2a00:1450:4001:80b::200e", true),
        ] {
            assert_eq!(is_public(ip.parse().unwrap()), public, "{ip}");
        }
    }
}
