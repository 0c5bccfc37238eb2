use std::fmt;

use serde::{Deserialize, Serialize};
use url::{Host, Url};

use crate::error::{Result, SettingsError};

/// Which court platform Litigant talks to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Platform {
    /// The demo court that Litigant runs on this computer when no platform is configured. It is
    /// labelled "Demo court" everywhere so nobody mistakes it for a real court.
    #[default]
    Demo,
    /// A court platform at this address.
    Remote { url: PlatformUrl },
}

/// What the person asked for on the settings screen, before it is checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum PlatformChoice {
    Demo,
    Remote { url: String },
}

impl PlatformChoice {
    pub fn check(self) -> Result<Platform> {
        match self {
            Self::Demo => Ok(Platform::Demo),
            Self::Remote { url } => Ok(Platform::Remote {
                url: PlatformUrl::parse(&url)?,
            }),
        }
    }
}

/// A platform address that is safe to send credentials to: HTTPS, or plain HTTP only to this
/// computer's loopback; no user name or password inside it. Kept normalised, without a trailing
/// slash, so `{url}/api/v1` joins cleanly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "specta", specta(transparent))]
pub struct PlatformUrl(String);

impl PlatformUrl {
    /// Reads an address as a person types it; a bare host name means HTTPS.
    pub fn parse(input: &str) -> Result<Self> {
        let trimmed = input.trim();
        let invalid = |reason: &str| SettingsError::PlatformUrlInvalid {
            input: trimmed.to_owned(),
            reason: reason.to_owned(),
        };
        if trimmed.is_empty() {
            return Err(invalid("it is empty"));
        }
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_owned()
        } else {
            format!("https://{trimmed}")
        };
        let url = Url::parse(&with_scheme).map_err(|e| invalid(&e.to_string()))?;
        let Some(host) = url.host() else {
            return Err(invalid("it has no host name"));
        };
        if !url.username().is_empty() || url.password().is_some() {
            let mut shown = url.clone();
            // Neither can fail on a URL that has a host.
            let _ = shown.set_username("");
            let _ = shown.set_password(None);
            return Err(SettingsError::PlatformUrlHasCredentials {
                url: shown.to_string(),
            });
        }
        // A typo such as "htp/court.example.cn" parses as the host "htp"; a court platform is
        // always a full domain name, an IP address, or this computer.
        if let Host::Domain(name) = &host
            && !name.contains('.')
            && !name.eq_ignore_ascii_case("localhost")
        {
            return Err(invalid(&format!("“{name}” is not a complete host name")));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("a platform address has no ?query or #fragment"));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&host) => {}
            "http" => {
                return Err(SettingsError::PlatformUrlInsecure {
                    url: url.to_string(),
                });
            }
            other => {
                return Err(invalid(&format!(
                    "“{other}://” is not a web address scheme"
                )));
            }
        }
        Ok(Self(url.as_str().trim_end_matches('/').to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
    }
}

impl TryFrom<String> for PlatformUrl {
    type Error = SettingsError;
    fn try_from(value: String) -> Result<Self> {
        Self::parse(&value)
    }
}

impl From<PlatformUrl> for String {
    fn from(value: PlatformUrl) -> Self {
        value.0
    }
}

impl fmt::Display for PlatformUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a court can be reached now, and if not, why, so the interface can say what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum CourtConnection {
    /// A court answers at `url`. `demo` is true for the demo court on this computer, which the
    /// interface must label as such.
    #[serde(rename_all = "camelCase")]
    Connected {
        platform: Platform,
        url: String,
        court_name: String,
        demo: bool,
    },
    NotConnected {
        platform: Platform,
        reason: NotConnectedReason,
        /// What went wrong, in the words of the part that failed (a folder, a port), when there
        /// is more to say than the reason.
        cause: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum NotConnectedReason {
    /// The demo court on this computer could not start (its folder or a loopback port).
    DemoCourtFailed,
    /// This build has no platform client yet, so a configured address cannot be used.
    PlatformClientNotBuiltIn,
}

/// How the demo court that the desktop shell runs on this computer is doing. The shell owns the
/// server; this crate only turns its report into what the interface is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DemoCourtReport {
    Running { url: String, court_name: String },
    Failed { cause: String },
}

impl CourtConnection {
    /// The connection this build can offer for the chosen platform: the demo court as the shell
    /// reports it, or, for an address, none until the platform client exists.
    pub fn for_platform(platform: &Platform, demo_court: &DemoCourtReport) -> Self {
        match (platform, demo_court) {
            (Platform::Demo, DemoCourtReport::Running { url, court_name }) => Self::Connected {
                platform: platform.clone(),
                url: url.clone(),
                court_name: court_name.clone(),
                demo: true,
            },
            (Platform::Demo, DemoCourtReport::Failed { cause }) => Self::NotConnected {
                platform: platform.clone(),
                reason: NotConnectedReason::DemoCourtFailed,
                cause: Some(cause.clone()),
            },
            (Platform::Remote { .. }, _) => Self::NotConnected {
                platform: platform.clone(),
                reason: NotConnectedReason::PlatformClientNotBuiltIn,
                cause: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_https_and_normalises_trailing_slash() {
        let url = PlatformUrl::parse(" https://court.example.cn/ ").unwrap();
        assert_eq!(url.as_str(), "https://court.example.cn");
        let url = PlatformUrl::parse("https://court.example.cn/base/path/").unwrap();
        assert_eq!(url.as_str(), "https://court.example.cn/base/path");
    }

    #[test]
    fn a_bare_host_means_https() {
        assert_eq!(
            PlatformUrl::parse("court.example.cn").unwrap().as_str(),
            "https://court.example.cn"
        );
    }

    #[test]
    fn plain_http_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.3.2.1",
            "http://[::1]:9000",
            "http://LOCALHOST:1",
        ] {
            PlatformUrl::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        for bad in [
            "http://court.example.cn",
            "http://10.0.0.1",
            "http://localhost.example.cn",
        ] {
            let err = PlatformUrl::parse(bad).unwrap_err();
            assert_eq!(err.code(), "settings.platform_url_insecure", "{bad}");
        }
    }

    #[test]
    fn credentials_are_refused_and_not_echoed() {
        let err = PlatformUrl::parse("https://alice:hunter2@court.example.cn").unwrap_err();
        assert_eq!(err.code(), "settings.platform_url_credentials");
        let shown = err.to_string();
        assert!(
            !shown.contains("hunter2") && !shown.contains("alice"),
            "{shown}"
        );
    }

    #[test]
    fn other_schemes_queries_and_empty_input_are_refused() {
        for bad in [
            "",
            "   ",
            "ftp://court.example.cn",
            "https://court.example.cn/?a=1",
            "https://",
        ] {
            let err = PlatformUrl::parse(bad).unwrap_err();
            assert_eq!(err.code(), "settings.platform_url_invalid", "{bad:?}");
        }
    }

    #[test]
    fn a_hand_edited_insecure_address_does_not_deserialize() {
        let json = r#"{"kind":"remote","url":"http://court.example.cn"}"#;
        assert!(serde_json::from_str::<Platform>(json).is_err());
    }

    #[test]
    fn the_demo_court_is_connected_when_it_runs_and_says_why_when_it_does_not() {
        let running = DemoCourtReport::Running {
            url: "http://127.0.0.1:41234".into(),
            court_name: "演示法院 (Demo court)".into(),
        };
        assert_eq!(
            CourtConnection::for_platform(&Platform::Demo, &running),
            CourtConnection::Connected {
                platform: Platform::Demo,
                url: "http://127.0.0.1:41234".into(),
                court_name: "演示法院 (Demo court)".into(),
                demo: true,
            }
        );
        let failed = DemoCourtReport::Failed {
            cause: "cannot use the data folder /d/demo-court".into(),
        };
        assert_eq!(
            CourtConnection::for_platform(&Platform::Demo, &failed),
            CourtConnection::NotConnected {
                platform: Platform::Demo,
                reason: NotConnectedReason::DemoCourtFailed,
                cause: Some("cannot use the data folder /d/demo-court".into()),
            }
        );
    }

    #[test]
    fn a_remote_address_waits_for_the_platform_client_whatever_the_demo_court_does() {
        let remote = PlatformChoice::Remote {
            url: "https://court.example.cn".into(),
        }
        .check()
        .unwrap();
        let running = DemoCourtReport::Running {
            url: "http://127.0.0.1:41234".into(),
            court_name: "演示法院 (Demo court)".into(),
        };
        for demo_court in [running, DemoCourtReport::Failed { cause: "x".into() }] {
            assert_eq!(
                CourtConnection::for_platform(&remote, &demo_court),
                CourtConnection::NotConnected {
                    platform: remote.clone(),
                    reason: NotConnectedReason::PlatformClientNotBuiltIn,
                    cause: None,
                }
            );
        }
    }

    #[test]
    fn a_connection_crosses_to_the_interface_in_camel_case() {
        let connected = CourtConnection::Connected {
            platform: Platform::Demo,
            url: "http://127.0.0.1:1".into(),
            court_name: "演示法院".into(),
            demo: true,
        };
        assert_eq!(
            serde_json::to_value(&connected).unwrap(),
            serde_json::json!({
                "state": "connected",
                "platform": {"kind": "demo"},
                "url": "http://127.0.0.1:1",
                "courtName": "演示法院",
                "demo": true,
            })
        );
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        fn host() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-z][a-z0-9-]{0,10}(\\.[a-z]{2,6}){1,3}",
                // Octets without leading zeros: "09" is not an IPv4 octet in a URL.
                "127(\\.(0|[1-9][0-9]?)){3}",
                "10(\\.(0|[1-9][0-9]?)){3}",
                Just("localhost".to_owned()),
                Just("[::1]".to_owned()),
            ]
        }

        proptest! {
            /// Whatever a person types, the answer is a checked address or an error, never a
            /// panic; and what is accepted reads back as itself.
            #[test]
            fn any_input_is_accepted_idempotently_or_refused(input in "\\PC{0,60}") {
                if let Ok(url) = PlatformUrl::parse(&input) {
                    prop_assert_eq!(PlatformUrl::parse(url.as_str()).unwrap(), url);
                }
            }

            /// Plain HTTP is accepted for loopback hosts and no others; HTTPS for every host.
            #[test]
            fn http_only_for_loopback(
                host in host(),
                port in proptest::option::of(1u16..),
                path in "(/[a-z0-9]{1,8}){0,3}",
            ) {
                let port = port.map(|p| format!(":{p}")).unwrap_or_default();
                let loopback = host.starts_with("127.") || host == "localhost" || host == "[::1]";
                let http = PlatformUrl::parse(&format!("http://{host}{port}{path}"));
                prop_assert_eq!(http.is_ok(), loopback, "{:?}", http);
                let https = PlatformUrl::parse(&format!("https://{host}{port}{path}")).unwrap();
                prop_assert!(https.as_str().starts_with("https://") && !https.as_str().ends_with('/'));
            }
        }
    }
}
