//! Sign-in by an authenticating proxy (oauth2-proxy, an ALB with OIDC): the identity header is
//! trusted only on requests that arrive from a configured proxy network, and only when both the
//! header name and the networks are configured.

use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderName};
use lensgate_app::auth::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    /// `10.0.0.0/8`, `fd00::/8`, or a single address.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (address, prefix) = match text.trim().split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text.trim(), None),
        };
        let address: IpAddr = address
            .parse()
            .map_err(|_| format!("{text:?} is not an IP address or CIDR range"))?;
        let width = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= width)
                .ok_or_else(|| format!("{text:?} has an invalid prefix length"))?,
            None => width,
        };
        Ok(Network { address, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            v4 => v4,
        };
        match (self.address, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                masked(u32::from(net).into(), 32, self.prefix)
                    == masked(u32::from(ip).into(), 32, self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                masked(u128::from(net), 128, self.prefix)
                    == masked(u128::from(ip), 128, self.prefix)
            }
            _ => false,
        }
    }
}

fn masked(bits: u128, width: u32, prefix: u8) -> u128 {
    if prefix == 0 {
        return 0;
    }
    let shift = width - u32::from(prefix);
    bits >> shift
}

#[derive(Debug, Clone)]
pub struct ProxyAuth {
    pub header: HeaderName,
    pub networks: Vec<Network>,
    pub default_role: Role,
}

impl ProxyAuth {
    /// From the settings; `None` unless both the header and the networks are given.
    pub fn from_settings(
        header: Option<&str>,
        networks: Option<&str>,
        default_role: Role,
    ) -> Result<Option<Self>, String> {
        match (header, networks) {
            (None, None) => Ok(None),
            (Some(_), None) | (None, Some(_)) => {
                Err("proxy sign-in needs both --auth-header and --trusted-proxy".to_owned())
            }
            (Some(header), Some(networks)) => {
                let header = HeaderName::try_from(header)
                    .map_err(|_| format!("{header:?} is not a header name"))?;
                let networks = networks
                    .split(',')
                    .map(Network::parse)
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Some(ProxyAuth {
                    header,
                    networks,
                    default_role,
                }))
            }
        }
    }

    /// The identity the proxy asserts, if the request came through it.
    pub fn identity(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<String> {
        let peer = peer?;
        if !self.networks.iter().any(|n| n.contains(peer)) {
            return None;
        }
        let name = headers.get(&self.header)?.to_str().ok()?.trim();
        (!name.is_empty() && name.chars().count() <= 64).then(|| name.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_contain_their_addresses_only() {
        let net = Network::parse("10.1.0.0/16").unwrap();
        assert!(net.contains("10.1.200.3".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        assert!(
            Network::parse("127.0.0.1")
                .unwrap()
                .contains("::ffff:127.0.0.1".parse().unwrap())
        );
        assert!(
            Network::parse("fd00::/8")
                .unwrap()
                .contains("fd12::1".parse().unwrap())
        );
        assert!(
            Network::parse("0.0.0.0/0")
                .unwrap()
                .contains("192.0.2.1".parse().unwrap())
        );
        assert!(Network::parse("10.0.0.0/33").is_err());
        assert!(Network::parse("proxy.local").is_err());
    }

    #[test]
    fn both_settings_or_neither() {
        assert!(ProxyAuth::from_settings(Some("x-user"), None, Role::Viewer).is_err());
        assert!(ProxyAuth::from_settings(None, Some("10.0.0.0/8"), Role::Viewer).is_err());
        assert!(
            ProxyAuth::from_settings(None, None, Role::Viewer)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_peer() {
        let proxy = ProxyAuth::from_settings(Some("x-user"), Some("10.0.0.0/8"), Role::Viewer)
            .unwrap()
            .unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-user", "ana".parse().unwrap());
        assert_eq!(
            proxy.identity(Some("10.0.0.5".parse().unwrap()), &headers),
            Some("ana".to_owned())
        );
        assert_eq!(
            proxy.identity(Some("192.0.2.1".parse().unwrap()), &headers),
            None
        );
        assert_eq!(proxy.identity(None, &headers), None);
    }
}
