//! Finding eSCL scanners on the local network by their DNS-SD announcements over multicast DNS
//! (`_uscan._tcp` for HTTP, `_uscans._tcp` for HTTPS), so that a person at a kiosk or a desk
//! picks the office scanner from a list instead of typing its address. Nothing here needs a
//! system daemon: the query is sent from this process, which works the same on Linux (beside
//! Avahi), macOS and Windows.
//!
//! What a scanner announces (Mopria eSCL specification, "Discovery"): its port and addresses,
//! and TXT keys of which `rs` is the resource path (`eSCL` when absent), `ty` the make and
//! model, and `UUID` one identity shared by all its announcements.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use mdns_sd::{ServiceDaemon, ServiceEvent};

use crate::error::PaperError;
use crate::escl::ESCL_PREFIX;
use crate::scan::Scanner;

/// How long a search listens for answers by default: scanners answer a query within about a
/// second, and a person waits for the list.
pub const DISCOVERY_WAIT: Duration = Duration::from_secs(2);

/// The service type of eSCL over plain HTTP.
pub const ESCL_SERVICE: &str = "_uscan._tcp.local.";
/// The service type of eSCL over HTTPS.
pub const ESCL_TLS_SERVICE: &str = "_uscans._tcp.local.";

/// One announcement, as far as choosing an address needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    /// Whether it came as `_uscans` (HTTPS).
    pub tls: bool,
    /// The instance name, e.g. `Brother MFC-L2750DW series`.
    pub instance: String,
    pub addresses: Vec<IpAddr>,
    pub port: u16,
    /// TXT `rs`: the resource path.
    pub resource: Option<String>,
    /// TXT `ty`: make and model.
    pub model: Option<String>,
    /// TXT `UUID`.
    pub uuid: Option<String>,
}

impl Announcement {
    /// The address to speak to: IPv4 first (a link-local IPv6 address would need the
    /// interface's scope, which a URL cannot carry portably), then a routable IPv6 address.
    fn host(&self) -> Option<String> {
        let v4 = self.addresses.iter().find(|a| a.is_ipv4());
        let v6 = self.addresses.iter().find(|a| match a {
            IpAddr::V6(v6) => !v6.is_unicast_link_local(),
            IpAddr::V4(_) => false,
        });
        match v4.or(v6)? {
            IpAddr::V4(a) => Some(a.to_string()),
            IpAddr::V6(a) => Some(format!("[{a}]")),
        }
    }

    /// The scanner as a device the rest of the crate takes (`escl:http://HOST:PORT/eSCL`),
    /// described by its make and model, or `None` when it announced no address that can be used.
    pub fn scanner(&self) -> Option<Scanner> {
        let host = self.host()?;
        let scheme = if self.tls { "https" } else { "http" };
        let resource = self
            .resource
            .as_deref()
            .map(|r| r.trim_matches('/'))
            .filter(|r| !r.is_empty())
            .unwrap_or("eSCL");
        let model = self
            .model
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .unwrap_or(&self.instance);
        Some(Scanner {
            device: format!("{ESCL_PREFIX}{scheme}://{host}:{}/{resource}", self.port),
            description: model.to_owned(),
        })
    }

    /// What makes two announcements the same scanner: its UUID, else its instance name.
    fn identity(&self) -> String {
        self.uuid
            .as_deref()
            .map_or_else(|| self.instance.clone(), str::to_ascii_lowercase)
    }
}

/// One scanner per identity; where it announced both, plain HTTP is kept, because scanners'
/// HTTPS certificates are as a rule self-signed and would be refused. Sorted by description.
pub fn scanners_from(announcements: &[Announcement]) -> Vec<Scanner> {
    let mut chosen: BTreeMap<String, &Announcement> = BTreeMap::new();
    for a in announcements.iter().filter(|a| a.host().is_some()) {
        chosen
            .entry(a.identity())
            .and_modify(|kept| {
                if kept.tls && !a.tls {
                    *kept = a;
                }
            })
            .or_insert(a);
    }
    let mut scanners: Vec<Scanner> = chosen.values().filter_map(|a| a.scanner()).collect();
    scanners.sort_by(|a, b| {
        a.description
            .cmp(&b.description)
            .then(a.device.cmp(&b.device))
    });
    scanners
}

/// The eSCL scanners that answer within `wait` on the networks this machine is on. Scanners
/// answer a query within about a second; the whole `wait` is spent, so that a slower one is
/// not missed. An empty list is no error: there may be none.
pub fn discover_escl(wait: Duration) -> Result<Vec<Scanner>, PaperError> {
    let failed = |detail: String| PaperError::EsclDiscovery { detail };
    let daemon = ServiceDaemon::new().map_err(|e| failed(e.to_string()))?;
    let found = browse(&daemon, wait);
    // The daemon's thread ends with it; its answer (a channel) is not needed.
    let _ = daemon.shutdown();
    Ok(scanners_from(&found.map_err(failed)?))
}

/// Addresses in a fixed order, one reachable from elsewhere before a loopback one (the set they
/// come in has none).
fn ordered(addresses: impl Iterator<Item = IpAddr>) -> Vec<IpAddr> {
    let mut list: Vec<IpAddr> = addresses.collect();
    list.sort_by_key(|a| (a.is_loopback(), *a));
    list
}

fn browse(daemon: &ServiceDaemon, wait: Duration) -> Result<Vec<Announcement>, String> {
    let plain = daemon.browse(ESCL_SERVICE).map_err(|e| e.to_string())?;
    let tls = daemon.browse(ESCL_TLS_SERVICE).map_err(|e| e.to_string())?;
    let end = Instant::now() + wait;
    // Resolutions come again as more addresses are learnt: the last one of a name wins.
    let mut by_name: BTreeMap<String, Announcement> = BTreeMap::new();
    loop {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        // Both channels are drained in turn, in slices short enough that neither waits long.
        let slice = left.min(Duration::from_millis(50));
        for (receiver, is_tls) in [(&plain, false), (&tls, true)] {
            while let Ok(event) = receiver.recv_timeout(slice) {
                if let ServiceEvent::ServiceResolved(info) = event {
                    let txt = |key: &str| info.get_property_val_str(key).map(str::to_owned);
                    let instance = info
                        .get_fullname()
                        .split("._uscan")
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    let announcement = Announcement {
                        tls: is_tls,
                        instance,
                        addresses: ordered(
                            info.get_addresses()
                                .iter()
                                .map(mdns_sd::ScopedIp::to_ip_addr),
                        ),
                        port: info.get_port(),
                        resource: txt("rs"),
                        model: txt("ty"),
                        uuid: txt("UUID").or_else(|| txt("uuid")),
                    };
                    by_name.insert(info.get_fullname().to_owned(), announcement);
                }
            }
        }
    }
    for service in [ESCL_SERVICE, ESCL_TLS_SERVICE] {
        let _ = daemon.stop_browse(service);
    }
    Ok(by_name.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn announcement(tls: bool, addresses: &[&str]) -> Announcement {
        Announcement {
            tls,
            instance: "Office MFP".into(),
            addresses: addresses.iter().map(|a| a.parse().unwrap()).collect(),
            port: 8080,
            resource: Some("eSCL".into()),
            model: Some("Brother MFC-L2750DW".into()),
            uuid: Some("A1B2".into()),
        }
    }

    #[test]
    fn an_ipv4_address_is_preferred_and_the_resource_path_kept() {
        let a = announcement(false, &["fe80::1", "2001:db8::5", "192.168.1.20"]);
        let s = a.scanner().unwrap();
        assert_eq!(s.device, "escl:http://192.168.1.20:8080/eSCL");
        assert_eq!(s.description, "Brother MFC-L2750DW");
    }

    #[test]
    fn a_routable_ipv6_address_is_bracketed_and_link_local_alone_is_unusable() {
        let s = announcement(true, &["fe80::1", "2001:db8::5"])
            .scanner()
            .unwrap();
        assert_eq!(s.device, "escl:https://[2001:db8::5]:8080/eSCL");
        assert_eq!(announcement(false, &["fe80::1"]).scanner(), None);
        assert!(scanners_from(&[announcement(false, &[])]).is_empty());
    }

    #[test]
    fn a_missing_resource_means_escl_and_a_missing_model_the_instance_name() {
        let mut a = announcement(false, &["10.0.0.7"]);
        a.resource = Some("/scan/eSCL/".into());
        assert_eq!(
            a.scanner().unwrap().device,
            "escl:http://10.0.0.7:8080/scan/eSCL"
        );
        a.resource = None;
        a.model = Some("  ".into());
        let s = a.scanner().unwrap();
        assert_eq!(s.device, "escl:http://10.0.0.7:8080/eSCL");
        assert_eq!(s.description, "Office MFP");
    }

    #[test]
    fn one_scanner_announced_twice_is_listed_once_over_plain_http() {
        let https = announcement(true, &["192.168.1.20"]);
        let mut http = announcement(false, &["192.168.1.20"]);
        http.uuid = Some("a1b2".into());
        let other = Announcement {
            uuid: Some("ffff".into()),
            model: Some("Canon G3020".into()),
            ..announcement(false, &["192.168.1.30"])
        };
        let list = scanners_from(&[https, other, http]);
        let devices: Vec<&str> = list.iter().map(|s| s.device.as_str()).collect();
        assert_eq!(
            devices,
            [
                "escl:http://192.168.1.20:8080/eSCL",
                "escl:http://192.168.1.30:8080/eSCL"
            ]
        );
    }
}
