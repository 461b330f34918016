//! Partners of the catalog (e-commerce portals, retailers): what their API keys may do, how
//! fast they may call, which catalog events exist, how a webhook delivery is signed and when a
//! failed one is tried again.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Read the catalog and its change feed.
    #[serde(rename = "catalog:read")]
    CatalogRead,
    /// Subscribe webhooks and read their delivery log.
    #[serde(rename = "webhooks:manage")]
    WebhooksManage,
}

impl Scope {
    pub const ALL: [Self; 2] = [Self::CatalogRead, Self::WebhooksManage];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CatalogRead => "catalog:read",
            Self::WebhooksManage => "webhooks:manage",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// The kinds of partner.
pub const PARTNER_KINDS: [&str; 3] = ["portal", "retailer", "other"];

/// Calls per minute a key gets unless the admin sets another figure.
pub const DEFAULT_RATE_PER_MINUTE: u32 = 600;
pub const MAX_RATE_PER_MINUTE: u32 = 100_000;

/// A catalog event a partner can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    #[serde(rename = "product.listed")]
    Listed,
    #[serde(rename = "product.updated")]
    Updated,
    #[serde(rename = "product.delisted")]
    Delisted,
}

impl EventKind {
    pub const ALL: [Self; 3] = [Self::Listed, Self::Updated, Self::Delisted];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Listed => "product.listed",
            Self::Updated => "product.updated",
            Self::Delisted => "product.delisted",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// The event a change of a product's listing raises, from the star it was listed with before
/// and after the change (`None`: not listed). Nothing when it was not listed and still is not.
pub fn listing_event(before: Option<i16>, after: Option<i16>) -> Option<EventKind> {
    match (before, after) {
        (None, None) => None,
        (None, Some(_)) => Some(EventKind::Listed),
        (Some(_), None) => Some(EventKind::Delisted),
        (Some(_), Some(_)) => Some(EventKind::Updated),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartnerError {
    #[error("unknown scope `{0}`; scopes: catalog:read, webhooks:manage")]
    Scope(String),
    #[error("a key needs at least one scope")]
    NoScope,
    #[error("unknown event `{0}`; events: product.listed, product.updated, product.delisted")]
    Event(String),
    #[error("a subscription needs at least one event")]
    NoEvent,
    #[error("a webhook URL is an absolute http or https URL without credentials")]
    Url,
    #[error("this webhook URL points at a private or local address")]
    PrivateTarget,
    #[error("a partner is a portal, a retailer or other")]
    Kind,
}

/// Parses a list of scopes: at least one, each known, duplicates dropped.
pub fn parse_scopes(items: &[String]) -> Result<Vec<Scope>, PartnerError> {
    parse_list(items, Scope::parse, PartnerError::Scope, PartnerError::NoScope)
}

/// Parses a list of events: at least one, each known, duplicates dropped.
pub fn parse_events(items: &[String]) -> Result<Vec<EventKind>, PartnerError> {
    parse_list(items, EventKind::parse, PartnerError::Event, PartnerError::NoEvent)
}

fn parse_list<T: PartialEq>(
    items: &[String],
    parse: fn(&str) -> Option<T>,
    unknown: fn(String) -> PartnerError,
    empty: PartnerError,
) -> Result<Vec<T>, PartnerError> {
    let mut out = Vec::new();
    for item in items {
        let value = parse(item.trim()).ok_or_else(|| unknown(item.clone()))?;
        if !out.contains(&value) {
            out.push(value);
        }
    }
    if out.is_empty() { Err(empty) } else { Ok(out) }
}

pub fn check_partner_kind(kind: &str) -> Result<(), PartnerError> {
    if PARTNER_KINDS.contains(&kind) { Ok(()) } else { Err(PartnerError::Kind) }
}

/// A webhook target, parsed as browsers and HTTP clients parse URLs (so `http://2130706433/`,
/// `http://127.1/` and `http://0x7f.1/` are the loopback address they are).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    /// The URL as it will be requested (normalised by the parser).
    pub url: String,
    pub host: TargetHost,
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetHost {
    /// An address given literally: checked here, never resolved.
    Ip(IpAddr),
    /// A name, without a trailing dot: every address it resolves to must pass
    /// [`is_public_address`] before it is connected to.
    Name(String),
}

/// A webhook target: an absolute `http(s)://host[:port]/path`, no user or password in it.
/// Unless `allow_private`, a literal address must be public and a name must not be one kept
/// for this machine or a local network; a name's addresses are checked again, by the sender,
/// each time it resolves them.
pub fn check_webhook_url(raw: &str, allow_private: bool) -> Result<WebhookTarget, PartnerError> {
    if raw.len() > 2000 || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(PartnerError::Url);
    }
    let url = url::Url::parse(raw).map_err(|_| PartnerError::Url)?;
    if !matches!(url.scheme(), "http" | "https") || !url.username().is_empty() || url.password().is_some() {
        return Err(PartnerError::Url);
    }
    let port = url.port_or_known_default().ok_or(PartnerError::Url)?;
    let host = match url.host().ok_or(PartnerError::Url)? {
        url::Host::Ipv4(ip) => TargetHost::Ip(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => TargetHost::Ip(IpAddr::V6(ip)),
        url::Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if name.is_empty() {
                return Err(PartnerError::Url);
            }
            TargetHost::Name(name)
        }
    };
    if !allow_private {
        let public = match &host {
            TargetHost::Ip(ip) => is_public_address(*ip),
            TargetHost::Name(name) => !is_local_name(name),
        };
        if !public {
            return Err(PartnerError::PrivateTarget);
        }
    }
    Ok(WebhookTarget { url: url.into(), host, port })
}

/// Names kept for this machine or a local network (RFC 6761, 6762, 8375 and common practice);
/// a single label (`intranet`) is a local name too.
fn is_local_name(name: &str) -> bool {
    const LOCAL_SUFFIXES: [&str; 6] = ["localhost", "local", "internal", "localdomain", "home.arpa", "lan"];
    !name.contains('.')
        || LOCAL_SUFFIXES.iter().any(|s| name == *s || name.ends_with(&format!(".{s}")))
        || name.ends_with(".in-addr.arpa")
        || name.ends_with(".ip6.arpa")
}

/// Whether an outbound call may go to `ip`: a unicast address of the public internet. Refused:
/// unspecified, loopback, private (RFC 1918, unique local), shared (CGNAT), link-local,
/// site-local, multicast, broadcast, documentation, benchmarking and reserved ranges, and every
/// IPv6 form that carries an IPv4 address inside (mapped, compatible, NAT64, 6to4, Teredo),
/// since the network may route it to that IPv4 address.
pub fn is_public_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => is_public_v6(ip),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0
        || a == 10
        || a == 127
        || (a == 100 && (64..128).contains(&b))
        || (a == 169 && b == 254)
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 0 && (c == 0 || c == 2))
        || (a == 192 && b == 88 && c == 99)
        || (a == 192 && b == 168)
        || (a == 198 && (18..20).contains(&b))
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113)
        || a >= 224)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let global_unicast = (s[0] & 0xe000) == 0x2000;
    global_unicast
        && s[0] != 0x2002 // 6to4
        && !(s[0] == 0x2001 && s[1] == 0x0000) // Teredo
        && !(s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        && !(s[0] == 0x2001 && s[1] < 0x0200) // IETF protocol assignments, benchmarking, ORCHID
        && !(s[0] == 0x3fff && s[1] < 0x1000) // documentation (RFC 9637)
}

/// The signature header's value for a delivery: `sha256=` and the hex HMAC-SHA256 of the raw
/// body under the subscription's secret.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256=");
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// Whether `signature` (the header's value) is the body's signature, compared in constant time.
pub fn verify(secret: &[u8], body: &[u8], signature: &str) -> bool {
    let expected = sign(secret, body);
    expected.len() == signature.len()
        && expected.bytes().zip(signature.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: u32 = 12;

/// How long to wait after the `attempts`-th failed attempt: `base` tripled each time, at most
/// six hours; `None` once the attempts are used up.
pub fn retry_delay(attempts: u32, base: Duration) -> Option<Duration> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let factor = 3u32.saturating_pow(attempts.saturating_sub(1));
    Some(base.saturating_mul(factor).min(Duration::from_secs(6 * 3600)))
}

/// A token bucket: `per_minute` calls a minute, in bursts of up to `per_minute`.
#[derive(Debug, Clone, Copy)]
pub struct TokenBucket {
    tokens: f64,
    at: Instant,
}

/// What the bucket said to one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateDecision {
    pub allowed: bool,
    pub limit: u32,
    /// Calls left now.
    pub remaining: u32,
    /// Seconds until the bucket is full again.
    pub reset_seconds: u64,
    /// Seconds to wait before the next call is allowed (0 when allowed).
    pub retry_after_seconds: u64,
}

impl TokenBucket {
    pub fn full(per_minute: u32, now: Instant) -> Self {
        Self { tokens: f64::from(per_minute), at: now }
    }

    /// Takes one token if there is one.
    pub fn take(&mut self, per_minute: u32, now: Instant) -> RateDecision {
        let capacity = f64::from(per_minute.max(1));
        let per_second = capacity / 60.0;
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * per_second).min(capacity);
        self.at = now;
        let allowed = self.tokens >= 1.0;
        if allowed {
            self.tokens -= 1.0;
        }
        let reset = ((capacity - self.tokens) / per_second).ceil();
        let retry = if allowed { 0.0 } else { ((1.0 - self.tokens) / per_second).ceil().max(1.0) };
        RateDecision {
            allowed,
            limit: per_minute,
            remaining: self.tokens.floor() as u32,
            reset_seconds: reset as u64,
            retry_after_seconds: retry as u64,
        }
    }

    /// Whether it has been full (untouched) long enough to be forgotten.
    pub fn idle(&self, per_minute: u32, now: Instant) -> bool {
        now.saturating_duration_since(self.at).as_secs_f64() * f64::from(per_minute.max(1)) / 60.0
            >= f64::from(per_minute.max(1))
    }
}

/// A webhook delivery: waiting (first try or a retry), delivered, or given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [Self; 3] = [Self::Pending, Self::Delivered, Self::Failed];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }
}

parse_by_name!(DeliveryStatus, UnknownDeliveryStatus, "delivery status");

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn scopes_and_events_parse() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(parse_scopes(&s(&["catalog:read", "catalog:read"])), Ok(vec![Scope::CatalogRead]));
        assert_eq!(parse_scopes(&s(&[])), Err(PartnerError::NoScope));
        assert_eq!(parse_scopes(&s(&["admin"])), Err(PartnerError::Scope("admin".into())));
        assert_eq!(parse_events(&s(&["product.delisted"])), Ok(vec![EventKind::Delisted]));
        assert_eq!(parse_events(&s(&["product.sold"])), Err(PartnerError::Event("product.sold".into())));
        assert_eq!(serde_json::to_string(&EventKind::Listed).ok().as_deref(), Some("\"product.listed\""));
    }

    #[test]
    fn listing_events() {
        assert_eq!(listing_event(None, Some(4)), Some(EventKind::Listed));
        assert_eq!(listing_event(Some(4), Some(5)), Some(EventKind::Updated));
        assert_eq!(listing_event(Some(3), None), Some(EventKind::Delisted));
        assert_eq!(listing_event(None, None), None);
    }

    #[test]
    fn webhook_urls() {
        let target = check_webhook_url("https://shop.example.vn/hooks/ocop", false).expect("public");
        assert_eq!(target.host, TargetHost::Name("shop.example.vn".into()));
        assert_eq!(target.port, 443);
        assert_eq!(check_webhook_url("http://shop.example.vn:8443/x?y=1", false).expect("public").port, 8443);
        assert_eq!(
            check_webhook_url("http://93.184.215.14/", false).expect("public").host,
            TargetHost::Ip([93, 184, 215, 14].into())
        );
        for malformed in [
            "ftp://shop.example.vn/",
            "https://user:pw@shop.example.vn/",
            "http://a b/",
            "shop.example.vn/x",
            "http://[::1/",
        ] {
            assert_eq!(check_webhook_url(malformed, false), Err(PartnerError::Url), "{malformed}");
        }
        for private in [
            "http://127.0.0.1:9000/",
            "http://localhost/",
            "http://localhost./",
            "http://LocalHost/",
            "http://api.localhost/",
            "http://printer.local/",
            "http://intranet/",
            "http://10.1.2.3/",
            "http://[::1]:80/",
            "http://192.168.0.9/",
            "http://2130706433/",
            "http://127.1/",
            "http://0x7f.1/",
            "http://0177.0.0.1/",
            "http://0/",
            "http://[::ffff:169.254.169.254]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::127.0.0.1]/",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://[2002:7f00:1::]/",
            "http://[2001:0:4136:e378::]/",
            "http://[fec0::1]/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://[ff02::1]/",
            "http://100.64.0.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://224.0.0.1/",
            "http://255.255.255.255/",
        ] {
            assert_eq!(check_webhook_url(private, false), Err(PartnerError::PrivateTarget), "{private}");
            assert!(check_webhook_url(private, true).is_ok(), "{private}");
        }
    }

    #[test]
    fn only_public_unicast_addresses_are_public() {
        for public in ["8.8.8.8", "1.1.1.1", "203.113.1.1", "2001:4860:4860::8888", "2a00:1450::1"] {
            assert!(is_public_address(public.parse().expect("ip")), "{public}");
        }
        for private in ["0.1.2.3", "172.16.0.1", "172.31.255.255", "198.18.0.1", "192.0.2.1", "::", "::1", "fc00::1"] {
            assert!(!is_public_address(private.parse().expect("ip")), "{private}");
        }
    }

    #[test]
    fn signatures_verify_and_differ_by_secret_and_body() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let signature = sign(b"secret", b"{\"a\":1}");
        assert!(verify(b"secret", b"{\"a\":1}", &signature));
        assert!(!verify(b"other", b"{\"a\":1}", &signature));
        assert!(!verify(b"secret", b"{\"a\":2}", &signature));
        assert!(!verify(b"secret", b"{\"a\":1}", "sha256=00"));
    }

    #[test]
    fn retries_back_off_and_stop() {
        let base = Duration::from_secs(10);
        assert_eq!(retry_delay(1, base), Some(Duration::from_secs(10)));
        assert_eq!(retry_delay(2, base), Some(Duration::from_secs(30)));
        assert_eq!(retry_delay(3, base), Some(Duration::from_secs(90)));
        assert_eq!(retry_delay(11, base), Some(Duration::from_secs(6 * 3600)));
        assert_eq!(retry_delay(MAX_ATTEMPTS, base), None);
    }

    #[test]
    fn bucket_allows_the_limit_then_refuses_then_refills() {
        let start = Instant::now();
        let mut bucket = TokenBucket::full(3, start);
        for left in [2, 1, 0] {
            let d = bucket.take(3, start);
            assert!(d.allowed);
            assert_eq!(d.remaining, left);
        }
        let refused = bucket.take(3, start);
        assert!(!refused.allowed);
        assert_eq!(refused.retry_after_seconds, 20, "one token every 20 s at 3 a minute");
        assert!(bucket.take(3, start + Duration::from_secs(21)).allowed);
    }

    proptest! {
        #[test]
        fn a_bucket_never_allows_more_than_its_limit_per_minute(limit in 1u32..200, calls in 1usize..600) {
            let start = Instant::now();
            let mut bucket = TokenBucket::full(limit, start);
            let allowed = (0..calls).filter(|_| bucket.take(limit, start).allowed).count();
            prop_assert!(allowed <= limit as usize);
            prop_assert_eq!(allowed, calls.min(limit as usize));
        }
    }
}
