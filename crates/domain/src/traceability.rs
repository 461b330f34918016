//! Traceability (truy xuất nguồn gốc): e-stamp codes, the signals of counterfeiting in a stamp's
//! scans, and the GS1 EPCIS 2.0 event structure the supply-chain events follow.

use chrono::{DateTime, Utc};
use serde_json::Value;

/// Crockford's base 32: no I, L, O, U, so codes read aloud and typed by hand survive.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Crockford's check symbols: the value modulo 37.
const CHECK: &[u8; 37] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";
/// 64 random bits take 13 symbols, then one check symbol.
pub const CODE_LEN: usize = 14;
/// The most stamps one request may issue.
pub const MAX_STAMPS_PER_JOB: u32 = 1_000_000;

/// A stamp's code from 64 random bits: 13 base-32 symbols and a check symbol.
pub fn stamp_code(random: u64) -> String {
    let mut out = [0u8; CODE_LEN];
    let mut v = random;
    for slot in out[..13].iter_mut().rev() {
        *slot = ALPHABET[(v & 31) as usize];
        v >>= 5;
    }
    out[13] = CHECK[(random % 37) as usize];
    String::from_utf8_lossy(&out).into_owned()
}

/// The 64-bit value of a well-formed code whose check symbol agrees; `None` otherwise.
/// Lower case and the look-alikes Crockford allows (O → 0, I/L → 1) are accepted.
pub fn parse_stamp_code(text: &str) -> Option<u64> {
    let cleaned: Vec<u8> = text.bytes().filter(|b| *b != b'-' && *b != b' ').map(|b| b.to_ascii_uppercase()).collect();
    if cleaned.len() != CODE_LEN {
        return None;
    }
    let mut v: u64 = 0;
    for (i, b) in cleaned[..13].iter().enumerate() {
        let b = match b {
            b'O' => b'0',
            b'I' | b'L' => b'1',
            other => *other,
        };
        let digit = ALPHABET.iter().position(|a| *a == b)? as u64;
        // The first symbol carries only the top 4 bits of 64.
        if i == 0 && digit > 15 {
            return None;
        }
        v = (v << 5) | digit;
    }
    (CHECK[(v % 37) as usize] == cleaned[13]).then_some(v)
}

/// The code as printed under the QR, in groups of four or five.
pub fn printed_code(code: &str) -> String {
    let (a, rest) = code.split_at(4.min(code.len()));
    let (b, c) = rest.split_at(5.min(rest.len()));
    format!("{a}-{b}-{c}")
}

/// What kind of device scanned, from its User-Agent.
pub fn device_class(user_agent: &str) -> &'static str {
    let ua = user_agent.to_ascii_lowercase();
    if ua.contains("bot") || ua.contains("spider") || ua.contains("crawl") || ua.is_empty() {
        "bot"
    } else if ua.contains("ipad") || ua.contains("tablet") {
        "tablet"
    } else if ua.contains("mobi") || ua.contains("android") || ua.contains("iphone") {
        "mobile"
    } else {
        "desktop"
    }
}

/// A coarse place: coordinates rounded to 0.01° (about a kilometre), never finer.
pub fn coarse(lat: f64, lon: f64) -> Option<(f64, f64)> {
    let ok = lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
    ok.then(|| ((lat * 100.0).round() / 100.0, (lon * 100.0).round() / 100.0))
}

/// The scan log's stand-in for client addresses: a keyed hash under the day's salt, derived
/// from the server's secret (it changes every day and is never stored), so one day's scans from
/// an address can be told apart from another's without storing it, and days cannot be linked.
/// Keyed once a day; each address then costs two SHA-256 blocks.
#[derive(Clone)]
pub struct ClientHasher(hmac::Hmac<sha2::Sha256>);

impl ClientHasher {
    pub fn for_day(secret: &[u8], day: chrono::NaiveDate) -> Self {
        use hmac::KeyInit;
        let salt = crate::partner::sign(secret, format!("scan-salt:{day}").as_bytes());
        Self(hmac::Hmac::new_from_slice(salt.as_bytes()).expect("HMAC takes a key of any length"))
    }

    /// 128 bits of the keyed hash, in hex.
    pub fn hash(&self, address: &str) -> String {
        use hmac::Mac;
        let mut mac = self.0.clone();
        mac.update(address.as_bytes());
        const HEX: &[u8; 16] = b"0123456789abcdef";
        mac.finalize().into_bytes()[..16]
            .iter()
            .flat_map(|b| [HEX[usize::from(b >> 4)] as char, HEX[usize::from(b & 15)] as char])
            .collect()
    }
}

/// The state of a background job (a stamp issue, an EPCIS capture).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobStatus {
    Running,
    Done,
    Failed,
}

impl JobStatus {
    pub const ALL: [Self; 3] = [Self::Running, Self::Done, Self::Failed];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }
}

parse_by_name!(JobStatus, UnknownJobStatus, "job status");

/// A batch's commissioning as an EPCIS 2.0 `ObjectEvent` (`ADD`, `commissioning`, `active`):
/// at the start of its production day in Vietnam, the lot named by `lot_uri`.
pub struct Commissioning {
    pub event_time: chrono::DateTime<chrono::Utc>,
    pub body: Value,
}

pub fn commissioning(
    lot_uri: &str,
    lot_number: &str,
    produced_on: chrono::NaiveDate,
    quantity: f64,
    unit: &str,
    expires_on: Option<chrono::NaiveDate>,
) -> Commissioning {
    use chrono::TimeZone;
    let zone = crate::calendar::vietnam_time();
    let start = produced_on.and_time(chrono::NaiveTime::MIN);
    let local = zone.from_local_datetime(&start).single().unwrap_or_else(|| zone.from_utc_datetime(&start));
    let body = serde_json::json!({
        "type": "ObjectEvent",
        "eventTime": local.to_rfc3339(),
        "eventTimeZoneOffset": local.offset().to_string(),
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "quantityList": [{"epcClass": lot_uri, "quantity": quantity, "uom": unit}],
        "ilmd": {"lotNumber": lot_number, "itemExpirationDate": expires_on},
    });
    Commissioning { event_time: local.with_timezone(&chrono::Utc), body }
}

/// Great-circle distance in kilometres.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// When a stamp's scans look like counterfeiting. Scans are counted by client (the keyed
/// hash of the address they came from), so one person scanning again and again, or a script,
/// counts once: a genuine stamp copied onto fakes is scanned by many people, or in places far
/// apart, within a short time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignalRules {
    /// More distinct clients than this within the window …
    pub max_scans: u32,
    /// … or two clients farther apart than this (km) …
    pub far_km: f64,
    /// … within this many hours.
    pub window_hours: i64,
}

impl Default for SignalRules {
    fn default() -> Self {
        Self { max_scans: 5, far_km: 100.0, window_hours: 24 }
    }
}

/// Whether a batch of `producer` may name a growing area as the origin of its raw material:
/// the producer's own area, or one published on the public map (a cooperative's members, a
/// supplier). Anything else would let a producer borrow another's certified origin.
pub fn may_source_from(producer: uuid::Uuid, area_owner: uuid::Uuid, area_published: bool) -> bool {
    area_owner == producer || area_published
}

/// An identifier this server issued: a lot (`{base}/lots/{batch id}`) or a stamp
/// (`{base}/t/{code}`, or its GS1 Digital Link `{base}/01/…/21/{code}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalId {
    Lot(uuid::Uuid),
    Stamp(u64),
}

/// What `id` names among this server's own objects, if anything (other identifiers belong to
/// other systems). A malformed identifier under `base` names nothing.
pub fn local_identifier(base: &str, id: &str) -> Option<LocalId> {
    let rest = id.strip_prefix(base)?;
    if let Some(lot) = rest.strip_prefix("/lots/") {
        return uuid::Uuid::parse_str(lot).ok().map(LocalId::Lot);
    }
    if let Some(code) = rest.strip_prefix("/t/") {
        return parse_stamp_code(code).map(LocalId::Stamp);
    }
    if rest.starts_with("/01/") {
        let (_, serial) = rest.rsplit_once("/21/")?;
        return parse_stamp_code(serial).map(LocalId::Stamp);
    }
    None
}

/// How long after a scan its client may still say where it was.
pub const PLACE_WINDOW_MINUTES: i64 = 10;

/// One scan, as the signals see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scan {
    pub at: DateTime<Utc>,
    pub place: Option<(f64, f64)>,
    /// Who scanned: [`client_key`] of the scan's client hash.
    pub client: u64,
}

/// A client hash (hex) as a number to compare, from its first 64 bits.
pub fn client_key(hash: &str) -> u64 {
    hash.get(..16).and_then(|h| u64::from_str_radix(h, 16).ok()).unwrap_or(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    TooManyScans,
    FarApart,
}

impl Signal {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::TooManyScans => "too_many_scans",
            Self::FarApart => "far_apart",
        }
    }
}

/// What the signals of a stamp rest on, for the officers who look into them.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub signals: Vec<Signal>,
    /// The most distinct clients seen within one window.
    pub clients_in_window: usize,
    /// Two places, far apart, scanned by different clients within one window.
    pub far_pair: Option<(Scan, Scan)>,
}

/// The signals a stamp's scans raise (in any order): more than `max_scans` distinct clients
/// within a window, or placed scans of two different clients more than `far_km` apart within
/// a window.
pub fn signals(scans: &[Scan], rules: &SignalRules) -> Vec<Signal> {
    evidence(scans, rules).signals
}

pub fn evidence(scans: &[Scan], rules: &SignalRules) -> Evidence {
    // Scans come in time order from the cache and the database: no copy then.
    let sorted: std::borrow::Cow<'_, [Scan]> = if scans.is_sorted_by_key(|s| s.at) {
        std::borrow::Cow::Borrowed(scans)
    } else {
        let mut owned = scans.to_vec();
        owned.sort_by_key(|s| s.at);
        std::borrow::Cow::Owned(owned)
    };
    let window = chrono::Duration::hours(rules.window_hours.max(0));
    // Sliding window over time, counting scans per client (few clients: a small vector).
    let mut in_window: Vec<(u64, usize)> = Vec::new();
    let mut most = 0;
    let mut start = 0;
    for (i, scan) in sorted.iter().enumerate() {
        match in_window.iter_mut().find(|(c, _)| *c == scan.client) {
            Some((_, n)) => *n += 1,
            None => in_window.push((scan.client, 1)),
        }
        while sorted[i].at - sorted[start].at >= window {
            let gone = sorted[start].client;
            if let Some(at) = in_window.iter().position(|(c, _)| *c == gone) {
                in_window[at].1 -= 1;
                if in_window[at].1 == 0 {
                    in_window.swap_remove(at);
                }
            }
            start += 1;
        }
        most = most.max(in_window.len());
    }
    let placed = || sorted.iter().enumerate().filter_map(|(i, s)| Some((i, s, s.place?)));
    let far_pair = placed().find_map(|(i, a, pa)| {
        placed().skip_while(|(j, _, _)| *j <= i).find_map(|(_, b, pb)| {
            (a.client != b.client && (b.at - a.at) < window && distance_km(pa, pb) > rules.far_km).then_some((*a, *b))
        })
    });
    let mut signals = Vec::new();
    if most > rules.max_scans as usize {
        signals.push(Signal::TooManyScans);
    }
    if far_pair.is_some() {
        signals.push(Signal::FarApart);
    }
    Evidence { signals, clients_in_window: most, far_pair }
}

/// The EPCIS 2.0 event types this server captures.
pub const EVENT_TYPES: [&str; 3] = ["ObjectEvent", "TransformationEvent", "AggregationEvent"];

/// Where an EPCIS document breaks the standard's structure, as a JSON pointer and a reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{pointer}: {reason}")]
pub struct EpcisError {
    pub pointer: String,
    pub reason: String,
}

fn fail(pointer: String, reason: &str) -> EpcisError {
    EpcisError { pointer, reason: reason.to_owned() }
}

/// A captured event's indexed facts.
#[derive(Debug, Clone, PartialEq)]
pub struct EventFacts {
    pub event_type: String,
    pub event_time: DateTime<Utc>,
    pub biz_step: Option<String>,
    /// Every EPC or class the event names (what), for `MATCH_epc`.
    pub epcs: Vec<String>,
}

/// Checks an EPCIS 2.0 JSON-LD document (`type: EPCISDocument`, `schemaVersion`, `creationDate`,
/// `epcisBody.eventList`) and each event's required fields: `type`, `eventTime`,
/// `eventTimeZoneOffset`; `action` for object and aggregation events; at least one of
/// `epcList`/`quantityList` (object), `parentID` or `childEPCs` (aggregation), inputs and
/// outputs (transformation). Returns each event's indexed facts.
pub fn check_epcis_document(doc: &Value) -> Result<Vec<EventFacts>, EpcisError> {
    if doc.get("type").and_then(Value::as_str) != Some("EPCISDocument") {
        return Err(fail("/type".into(), "must be \"EPCISDocument\""));
    }
    if doc.get("schemaVersion").and_then(Value::as_str).is_none() {
        return Err(fail("/schemaVersion".into(), "is required (\"2.0\")"));
    }
    let created = doc.get("creationDate").and_then(Value::as_str).unwrap_or_default();
    if DateTime::parse_from_rfc3339(created).is_err() {
        return Err(fail("/creationDate".into(), "is required, an RFC 3339 date-time"));
    }
    let events = doc
        .pointer("/epcisBody/eventList")
        .and_then(Value::as_array)
        .ok_or_else(|| fail("/epcisBody/eventList".into(), "is required, an array of events"))?;
    if events.is_empty() || events.len() > 10_000 {
        return Err(fail("/epcisBody/eventList".into(), "holds 1 to 10,000 events"));
    }
    events.iter().enumerate().map(|(i, e)| check_event(&format!("/epcisBody/eventList/{i}"), e)).collect()
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

fn classes(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|q| q.get("epcClass").and_then(Value::as_str)).map(str::to_owned).collect())
        .unwrap_or_default()
}

fn check_event(at: &str, e: &Value) -> Result<EventFacts, EpcisError> {
    let kind = e.get("type").and_then(Value::as_str).unwrap_or_default();
    if !EVENT_TYPES.contains(&kind) {
        return Err(fail(format!("{at}/type"), "is ObjectEvent, TransformationEvent or AggregationEvent"));
    }
    let time = e
        .get("eventTime")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .ok_or_else(|| fail(format!("{at}/eventTime"), "is required, an RFC 3339 date-time"))?;
    let offset = e.get("eventTimeZoneOffset").and_then(Value::as_str).unwrap_or_default();
    let offset_ok = offset.len() == 6
        && (offset.starts_with('+') || offset.starts_with('-'))
        && offset.as_bytes()[3] == b':'
        && offset[1..3].bytes().chain(offset[4..].bytes()).all(|b| b.is_ascii_digit());
    if !offset_ok {
        return Err(fail(format!("{at}/eventTimeZoneOffset"), "is required, like \"+07:00\""));
    }
    let mut epcs = Vec::new();
    match kind {
        "ObjectEvent" | "AggregationEvent" => {
            let action = e.get("action").and_then(Value::as_str).unwrap_or_default();
            if !["ADD", "OBSERVE", "DELETE"].contains(&action) {
                return Err(fail(format!("{at}/action"), "is ADD, OBSERVE or DELETE"));
            }
            if kind == "ObjectEvent" {
                epcs.extend(strings(e.get("epcList")));
                epcs.extend(classes(e.get("quantityList")));
                if epcs.is_empty() {
                    return Err(fail(
                        format!("{at}/epcList"),
                        "an object event names its objects in epcList or quantityList",
                    ));
                }
            } else {
                epcs.extend(e.get("parentID").and_then(Value::as_str).map(str::to_owned));
                epcs.extend(strings(e.get("childEPCs")));
                epcs.extend(classes(e.get("childQuantityList")));
                if epcs.is_empty() && action != "OBSERVE" {
                    return Err(fail(format!("{at}/parentID"), "an aggregation event names its parent or children"));
                }
            }
        }
        _ => {
            let inputs = [strings(e.get("inputEPCList")), classes(e.get("inputQuantityList"))].concat();
            let outputs = [strings(e.get("outputEPCList")), classes(e.get("outputQuantityList"))].concat();
            if inputs.is_empty() && outputs.is_empty() {
                return Err(fail(format!("{at}/inputEPCList"), "a transformation event names its inputs or outputs"));
            }
            epcs.extend(inputs);
            epcs.extend(outputs);
        }
    }
    let biz_step = e.get("bizStep").and_then(Value::as_str).map(|s| {
        // CBV short names ("commissioning") and URIs ("urn:epcglobal:cbv:bizstep:commissioning") alike.
        s.rsplit([':', '/']).next().unwrap_or(s).to_owned()
    });
    Ok(EventFacts { event_type: kind.to_owned(), event_time: time.with_timezone(&Utc), biz_step, epcs })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    #[test]
    fn a_batch_is_commissioned_at_the_start_of_its_day_in_vietnam() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("day");
        let c = commissioning("https://ocop.example/lots/1", "L2026-11", day, 500.0, "hộp", None);
        assert_eq!(c.event_time.to_rfc3339(), "2026-11-19T17:00:00+00:00");
        assert_eq!(c.body["eventTime"], "2026-11-20T00:00:00+07:00");
        assert_eq!(c.body["eventTimeZoneOffset"], "+07:00");
        assert_eq!(c.body["quantityList"][0]["epcClass"], "https://ocop.example/lots/1");
        assert_eq!(c.body["ilmd"]["lotNumber"], "L2026-11");
    }

    #[test]
    fn codes_carry_a_check_symbol() {
        let code = stamp_code(0x0123_4567_89AB_CDEF);
        assert_eq!(code.len(), CODE_LEN);
        assert_eq!(parse_stamp_code(&code), Some(0x0123_4567_89AB_CDEF));
        assert_eq!(parse_stamp_code(&code.to_lowercase()), Some(0x0123_4567_89AB_CDEF));
        assert_eq!(parse_stamp_code(&printed_code(&code)), Some(0x0123_4567_89AB_CDEF));
        // One symbol changed: the check symbol no longer agrees.
        let mut bad: Vec<u8> = code.clone().into_bytes();
        bad[5] = if bad[5] == b'7' { b'8' } else { b'7' };
        assert_eq!(parse_stamp_code(&String::from_utf8(bad).expect("ascii")), None);
        assert_eq!(parse_stamp_code("SHORT"), None);
        assert_eq!(stamp_code(u64::MAX).len(), CODE_LEN);
    }

    proptest! {
        #[test]
        fn every_code_round_trips(v: u64) {
            prop_assert_eq!(parse_stamp_code(&stamp_code(v)), Some(v));
        }

        #[test]
        fn a_single_changed_symbol_is_caught(v: u64, at in 1usize..13, d in 0usize..32) {
            let code = stamp_code(v).into_bytes();
            let mut changed = code.clone();
            changed[at] = ALPHABET[d];
            prop_assume!(changed != code);
            prop_assert_eq!(parse_stamp_code(&String::from_utf8(changed).expect("ascii")), None);
        }
    }

    #[test]
    fn scans_raise_signals() {
        let t = |h: i64| {
            DateTime::parse_from_rfc3339("2026-12-03T08:00:00Z").expect("t").with_timezone(&Utc)
                + chrono::Duration::hours(h)
        };
        let rules = SignalRules::default();
        let ha_long = Some((20.95, 107.08));
        let hanoi = Some((21.03, 105.85));
        let scan = |h: i64, place: Option<(f64, f64)>, client: u64| Scan { at: t(h), place, client };
        let near = [scan(0, ha_long, 1), scan(1, Some((20.96, 107.07)), 2)];
        assert!(signals(&near, &rules).is_empty());
        let crowd: Vec<Scan> = (0..6).map(|c| scan(c, None, c as u64 + 10)).collect();
        assert_eq!(signals(&crowd, &rules), vec![Signal::TooManyScans], "six people within a day");
        assert!(signals(&crowd[..5], &rules).is_empty(), "five is the most allowed");
        let spread: Vec<Scan> = (0..6).map(|c| scan(c * 24, None, c as u64 + 10)).collect();
        assert!(signals(&spread, &rules).is_empty(), "six people over six days");
        let one_person: Vec<Scan> =
            (0..50).map(|i| Scan { at: t(0) + chrono::Duration::seconds(i), place: None, client: 7 }).collect();
        assert!(signals(&one_person, &rules).is_empty(), "fifty scans by one client count once");
        let far = [scan(0, ha_long, 1), scan(3, hanoi, 2)];
        assert_eq!(signals(&far, &rules), vec![Signal::FarApart]);
        let e = evidence(&far, &rules);
        assert_eq!(e.far_pair.map(|(a, b)| (a.client, b.client)), Some((1, 2)));
        let far_one_client = [scan(0, ha_long, 1), scan(3, hanoi, 1)];
        assert!(signals(&far_one_client, &rules).is_empty(), "one client cannot be in two places to accuse a stamp");
        let days_apart = [scan(0, ha_long, 1), scan(48, hanoi, 2)];
        assert!(signals(&days_apart, &rules).is_empty());
        assert_eq!(client_key("00000000000000ffabcdef"), 255);
        let base = "https://ocop.vn";
        let lot = uuid::Uuid::from_u128(9);
        assert_eq!(local_identifier(base, &format!("{base}/lots/{lot}")), Some(LocalId::Lot(lot)));
        let code = stamp_code(12345);
        assert_eq!(local_identifier(base, &format!("{base}/t/{code}")), Some(LocalId::Stamp(12345)));
        assert_eq!(
            local_identifier(base, &format!("{base}/01/08934567890120/10/L1/21/{code}")),
            Some(LocalId::Stamp(12345))
        );
        assert_eq!(local_identifier(base, "urn:epc:id:sgtin:893456.789012.1"), None);
        assert_eq!(local_identifier(base, &format!("{base}/lots/not-a-uuid")), None);
        let (me, them) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
        assert!(may_source_from(me, me, false) && may_source_from(me, them, true));
        assert!(!may_source_from(me, them, false), "another's unpublished area");
        assert_eq!(client_key(""), 0);
        assert!((distance_km((20.95, 107.08), (21.03, 105.85)) - 128.0).abs() < 5.0);
        assert_eq!(coarse(20.951_234, 107.084_9), Some((20.95, 107.08)));
        assert_eq!(coarse(95.0, 0.0), None);
        assert_eq!(device_class("Mozilla/5.0 (Linux; Android 13) Mobile"), "mobile");
        assert_eq!(device_class("Googlebot/2.1"), "bot");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).expect("day");
        let h = ClientHasher::for_day(b"k", day).hash("203.0.113.7");
        assert_eq!(h.len(), 32);
        assert!(!h.contains("203"));
        assert_eq!(h, ClientHasher::for_day(b"k", day).hash("203.0.113.7"));
        assert_ne!(h, ClientHasher::for_day(b"k", day).hash("203.0.113.8"));
        assert_ne!(
            h,
            ClientHasher::for_day(b"k", day.succ_opt().expect("next")).hash("203.0.113.7"),
            "the salt rotates daily"
        );
    }

    #[test]
    fn epcis_documents_follow_the_standard() {
        let doc = json!({"@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"], "type": "EPCISDocument",
        "schemaVersion": "2.0", "creationDate": "2026-12-03T08:00:00Z", "epcisBody": {"eventList": [
            {"type": "ObjectEvent", "eventTime": "2026-12-01T07:00:00+07:00", "eventTimeZoneOffset": "+07:00", "action": "ADD",
             "bizStep": "urn:epcglobal:cbv:bizstep:commissioning", "quantityList": [{"epcClass": "https://ocop.example/lots/L1", "quantity": 100}]},
            {"type": "TransformationEvent", "eventTime": "2026-12-02T07:00:00+07:00", "eventTimeZoneOffset": "+07:00",
             "bizStep": "transforming", "inputQuantityList": [{"epcClass": "https://ocop.example/lots/L1"}], "outputEPCList": ["https://ocop.example/t/ABC"]}
        ]}});
        let facts = check_epcis_document(&doc).expect("valid");
        assert_eq!(facts[0].biz_step.as_deref(), Some("commissioning"));
        assert_eq!(facts[1].epcs.len(), 2);
        let mut bad = doc.clone();
        bad["epcisBody"]["eventList"][0]["action"] = json!("MOVE");
        assert_eq!(check_epcis_document(&bad).expect_err("action").pointer, "/epcisBody/eventList/0/action");
        let mut bad = doc.clone();
        bad["epcisBody"]["eventList"][1]["type"] = json!("TransactionEvent");
        assert_eq!(check_epcis_document(&bad).expect_err("type").pointer, "/epcisBody/eventList/1/type");
        let mut bad = doc;
        bad["epcisBody"]["eventList"][0].as_object_mut().expect("event").remove("eventTimeZoneOffset");
        assert!(check_epcis_document(&bad).is_err());
    }
}
