//! Maps: growing-area codes, GeoJSON geometry (RFC 7946, WGS 84 lon/lat) and its validation,
//! geodesic areas, and bounding boxes.

use serde::{Deserialize, Serialize};

/// A growing-area code (mã số vùng trồng, QĐ 3156/QĐ-BNN-TT):
/// `VN-{province}-{district}-{commune}-{facility no.}-{YY}`, e.g. `VN-22-202-06739-001-24`.
/// The district part is `000` for a commune directly under the province.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GrowingAreaCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GrowingAreaCodeError {
    #[error("a growing-area code reads VN-{{province}}-{{district}}-{{commune}}-{{facility}}-{{YY}}")]
    Shape,
    #[error("the province has 2 digits, the district 3, the commune 5")]
    UnitDigits,
    #[error("the facility number has 1 to 4 digits")]
    Facility,
    #[error("the year has 2 digits")]
    Year,
}

impl GrowingAreaCode {
    pub fn parse(raw: &str) -> Result<Self, GrowingAreaCodeError> {
        let upper = raw.trim().to_ascii_uppercase();
        let parts: Vec<&str> = upper.split('-').collect();
        let [country, province, district, commune, facility, year] = parts.as_slice() else {
            return Err(GrowingAreaCodeError::Shape);
        };
        if *country != "VN" {
            return Err(GrowingAreaCodeError::Shape);
        }
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(province, 2) && digits(district, 3) && digits(commune, 5)) {
            return Err(GrowingAreaCodeError::UnitDigits);
        }
        if !(1..=4).contains(&facility.len()) || !facility.bytes().all(|b| b.is_ascii_digit()) {
            return Err(GrowingAreaCodeError::Facility);
        }
        if !digits(year, 2) {
            return Err(GrowingAreaCodeError::Year);
        }
        Ok(Self(upper))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The commune code inside the code.
    pub fn commune(&self) -> &str {
        self.0.split('-').nth(3).unwrap_or_default()
    }

    pub fn province(&self) -> &str {
        self.0.split('-').nth(1).unwrap_or_default()
    }
}

/// A GeoJSON geometry of an area: Polygon or MultiPolygon. Positions are `[lon, lat]` (an
/// altitude may follow and is ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum AreaGeometry {
    Polygon { coordinates: Vec<Vec<Vec<f64>>> },
    MultiPolygon { coordinates: Vec<Vec<Vec<Vec<f64>>>> },
}

/// Why a geometry is refused, with the path of the offending element.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeometryError {
    #[error("{path}: the geometry has no polygon")]
    Empty { path: String },
    #[error("{path}: a position has two numbers, longitude then latitude")]
    Position { path: String },
    #[error("{path}: longitude must lie in [-180, 180] and latitude in [-90, 90] (WGS 84, lon/lat order)")]
    OutOfRange { path: String },
    #[error("{path}: a ring needs at least four positions")]
    TooFewPositions { path: String },
    #[error("{path}: a ring must end where it starts (closed)")]
    NotClosed { path: String },
    #[error("{path}: the ring crosses itself")]
    SelfIntersection { path: String },
    #[error("{path}: more than {max} positions")]
    TooLarge { path: String, max: usize },
}

impl GeometryError {
    pub fn path(&self) -> &str {
        match self {
            Self::Empty { path }
            | Self::Position { path }
            | Self::OutOfRange { path }
            | Self::TooFewPositions { path }
            | Self::NotClosed { path }
            | Self::SelfIntersection { path }
            | Self::TooLarge { path, .. } => path,
        }
    }
}

/// Positions per geometry a request may carry. A farm boundary needs far fewer; the cap keeps
/// the quadratic self-intersection check cheap (5,000 positions ≈ 12.5 million segment pairs).
pub const MAX_POSITIONS: usize = 5_000;

type Ring = Vec<(f64, f64)>;

impl AreaGeometry {
    /// The polygons as rings of `(lon, lat)`, with the JSON path of each ring.
    fn rings(&self) -> Vec<(String, &Vec<Vec<f64>>)> {
        match self {
            Self::Polygon { coordinates } => {
                coordinates.iter().enumerate().map(|(r, ring)| (format!("coordinates[{r}]"), ring)).collect()
            }
            Self::MultiPolygon { coordinates } => coordinates
                .iter()
                .enumerate()
                .flat_map(|(p, poly)| {
                    poly.iter().enumerate().map(move |(r, ring)| (format!("coordinates[{p}][{r}]"), ring))
                })
                .collect(),
        }
    }

    /// Polygons as (outer ring, holes), already validated positions.
    fn polygons(&self) -> Vec<Vec<Ring>> {
        let ring = |r: &Vec<Vec<f64>>| r.iter().map(|p| (p[0], p[1])).collect::<Ring>();
        match self {
            Self::Polygon { coordinates } => vec![coordinates.iter().map(ring).collect()],
            Self::MultiPolygon { coordinates } => {
                coordinates.iter().map(|poly| poly.iter().map(ring).collect()).collect()
            }
        }
    }

    /// Checks the geometry as RFC 7946 requires and as an area must be: positions in range,
    /// every ring closed with at least four positions, no ring crossing itself.
    pub fn validate(&self) -> Result<(), GeometryError> {
        self.validate_shape(MAX_POSITIONS)?;
        for (path, ring) in self.rings() {
            let points: Ring = ring.iter().map(|p| (p[0], p[1])).collect();
            if crosses_itself(&points) {
                return Err(GeometryError::SelfIntersection { path });
            }
        }
        Ok(())
    }

    /// The structure RFC 7946 requires, up to `max_positions` positions: positions in range,
    /// every ring closed with at least four positions. No crossing check: it is quadratic, and
    /// an administrative boundary (surveyed, thousands of positions) is not ours to correct.
    pub fn validate_shape(&self, max_positions: usize) -> Result<(), GeometryError> {
        let rings = self.rings();
        if rings.is_empty() {
            return Err(GeometryError::Empty { path: "coordinates".into() });
        }
        let total: usize = rings.iter().map(|(_, r)| r.len()).sum();
        if total > max_positions {
            return Err(GeometryError::TooLarge { path: "coordinates".into(), max: max_positions });
        }
        for (path, ring) in &rings {
            for (i, p) in ring.iter().enumerate() {
                if !(p.len() == 2 || p.len() == 3) || p.iter().any(|v| !v.is_finite()) {
                    return Err(GeometryError::Position { path: format!("{path}[{i}]") });
                }
                if !(-180.0..=180.0).contains(&p[0]) || !(-90.0..=90.0).contains(&p[1]) {
                    return Err(GeometryError::OutOfRange { path: format!("{path}[{i}]") });
                }
            }
            if ring.len() < 4 {
                return Err(GeometryError::TooFewPositions { path: path.clone() });
            }
            let (first, last) = (&ring[0], &ring[ring.len() - 1]);
            if first[0] != last[0] || first[1] != last[1] {
                return Err(GeometryError::NotClosed { path: path.clone() });
            }
        }
        Ok(())
    }

    /// Positions in all rings.
    pub fn positions(&self) -> usize {
        self.rings().iter().map(|(_, r)| r.len()).sum()
    }

    /// Geodesic area on the WGS 84 sphere, in hectares (outer rings minus holes).
    pub fn area_ha(&self) -> f64 {
        self.polygons()
            .iter()
            .map(|rings| {
                let mut rings = rings.iter();
                let outer = rings.next().map_or(0.0, |r| ring_area_m2(r).abs());
                let holes: f64 = rings.map(|r| ring_area_m2(r).abs()).sum();
                (outer - holes).max(0.0)
            })
            .sum::<f64>()
            / 10_000.0
    }

    pub fn bbox(&self) -> Bbox {
        let mut b = Bbox { min_lon: 180.0, min_lat: 90.0, max_lon: -180.0, max_lat: -90.0 };
        for (_, ring) in self.rings() {
            for p in ring {
                b.min_lon = b.min_lon.min(p[0]);
                b.max_lon = b.max_lon.max(p[0]);
                b.min_lat = b.min_lat.min(p[1]);
                b.max_lat = b.max_lat.max(p[1]);
            }
        }
        b
    }
}

/// Whether two segments that are not neighbours in the ring touch or cross.
fn crosses_itself(ring: &[(f64, f64)]) -> bool {
    let n = ring.len() - 1; // segments; the last position repeats the first
    for i in 0..n {
        for j in i + 1..n {
            // Neighbouring segments share a vertex; the first and the last too.
            if j == i + 1 || (i == 0 && j == n - 1) {
                continue;
            }
            if segments_intersect(ring[i], ring[i + 1], ring[j], ring[j + 1]) {
                return true;
            }
        }
    }
    false
}

fn orientation(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> i8 {
    let v = (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0);
    if v.abs() < 1e-18 {
        0
    } else if v > 0.0 {
        1
    } else {
        -1
    }
}

fn on_segment(a: (f64, f64), b: (f64, f64), p: (f64, f64)) -> bool {
    p.0 >= a.0.min(b.0) && p.0 <= a.0.max(b.0) && p.1 >= a.1.min(b.1) && p.1 <= a.1.max(b.1)
}

fn segments_intersect(p1: (f64, f64), p2: (f64, f64), q1: (f64, f64), q2: (f64, f64)) -> bool {
    let (o1, o2, o3, o4) =
        (orientation(p1, p2, q1), orientation(p1, p2, q2), orientation(q1, q2, p1), orientation(q1, q2, p2));
    if o1 != o2 && o3 != o4 && o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0 {
        return true;
    }
    (o1 == 0 && on_segment(p1, p2, q1))
        || (o2 == 0 && on_segment(p1, p2, q2))
        || (o3 == 0 && on_segment(q1, q2, p1))
        || (o4 == 0 && on_segment(q1, q2, p2))
}

/// WGS 84 equatorial radius, as GeoJSON area tools use.
const EARTH_RADIUS_M: f64 = 6_378_137.0;

/// Signed area of a ring on the sphere (Chamberlain & Duquette, "Some algorithms for polygons
/// on a sphere", JPL 2007), in square metres.
fn ring_area_m2(ring: &[(f64, f64)]) -> f64 {
    let n = ring.len();
    if n < 3 {
        return 0.0;
    }
    let mut total = 0.0;
    for i in 0..n {
        let (lower, middle, upper) = (ring[i], ring[(i + 1) % n], ring[(i + 2) % n]);
        total += (upper.0.to_radians() - lower.0.to_radians()) * middle.1.to_radians().sin();
    }
    total * EARTH_RADIUS_M * EARTH_RADIUS_M / 2.0
}

/// Perennial crops need at least 1 ha, annual crops 0.1 ha (QĐ 3156/QĐ-BNN-TT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CropCycle {
    Perennial,
    Annual,
}

impl CropCycle {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Perennial => "perennial",
            Self::Annual => "annual",
        }
    }

    pub const fn minimum_ha(self) -> f64 {
        match self {
            Self::Perennial => 1.0,
            Self::Annual => 0.1,
        }
    }
}

/// Standards a growing area may hold.
pub const STANDARDS: [&str; 3] = ["vietgap", "globalgap", "organic"];

/// Kinds of tourism service a craft village offers.
pub const SERVICE_KINDS: [&str; 3] = ["tour", "homestay", "workshop"];

/// Levels of OCOP sales points.
pub const SALES_POINT_LEVELS: [&str; 3] = ["province", "district", "commune"];

/// The drawn area differs from the declared one by more than this share: a warning.
pub const AREA_MISMATCH: f64 = 0.2;

/// What the area check found: the declared area below the minimum is an error; a drawing far
/// from the declared area is a warning.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaCheck {
    pub computed_ha: f64,
    pub declared_ha: f64,
    pub below_minimum: bool,
    pub mismatch: bool,
}

pub fn check_area(geometry: &AreaGeometry, declared_ha: f64, cycle: CropCycle) -> AreaCheck {
    let computed_ha = geometry.area_ha();
    let mismatch = declared_ha > 0.0 && ((computed_ha - declared_ha).abs() / declared_ha) > AREA_MISMATCH;
    AreaCheck { computed_ha, declared_ha, below_minimum: declared_ha < cycle.minimum_ha(), mismatch }
}

/// A bounding box in CRS84 (lon/lat), edges inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bbox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BboxError {
    #[error("bbox is four numbers (min longitude, min latitude, max longitude, max latitude) or six with heights")]
    Shape,
    #[error("bbox values must lie in [-180, 180] × [-90, 90]")]
    Range,
    #[error("bbox minimum must not exceed its maximum (boxes across the antimeridian are not supported)")]
    Order,
}

impl Bbox {
    /// `minLon,minLat,maxLon,maxLat` (or six numbers with heights) as in OGC API – Features.
    pub fn parse(raw: &str) -> Result<Self, BboxError> {
        let values: Vec<f64> =
            raw.split(',').map(|v| v.trim().parse::<f64>()).collect::<Result<_, _>>().map_err(|_| BboxError::Shape)?;
        // Six numbers carry heights (min, then max), which a map of the ground ignores.
        let (min_lon, min_lat, max_lon, max_lat) = match values.as_slice() {
            [a, b, c, d] => (*a, *b, *c, *d),
            [a, b, _, d, e, _] => (*a, *b, *d, *e),
            _ => return Err(BboxError::Shape),
        };
        let b = Self { min_lon, min_lat, max_lon, max_lat };
        if [b.min_lon, b.max_lon].iter().any(|v| !(-180.0..=180.0).contains(v))
            || [b.min_lat, b.max_lat].iter().any(|v| !(-90.0..=90.0).contains(v))
        {
            return Err(BboxError::Range);
        }
        if b.min_lon > b.max_lon || b.min_lat > b.max_lat {
            return Err(BboxError::Order);
        }
        Ok(b)
    }

    /// Boxes that share an edge or a corner intersect.
    pub fn intersects(&self, other: &Self) -> bool {
        self.min_lon <= other.max_lon
            && self.max_lon >= other.min_lon
            && self.min_lat <= other.max_lat
            && self.max_lat >= other.min_lat
    }

    pub fn contains_point(&self, lon: f64, lat: f64) -> bool {
        (self.min_lon..=self.max_lon).contains(&lon) && (self.min_lat..=self.max_lat).contains(&lat)
    }

    /// The smallest box holding both.
    pub fn union(&self, other: &Self) -> Self {
        Self {
            min_lon: self.min_lon.min(other.min_lon),
            min_lat: self.min_lat.min(other.min_lat),
            max_lon: self.max_lon.max(other.max_lon),
            max_lat: self.max_lat.max(other.max_lat),
        }
    }

    /// A square of `area_km2` around a centre: the extent of a unit known only by its centroid
    /// and area.
    pub fn around(lon: f64, lat: f64, area_km2: f64) -> Self {
        let half_km = area_km2.max(0.0).sqrt() / 2.0;
        let half_lat = half_km / 111.32;
        let half_lon = half_km / (111.32 * lat.to_radians().cos().max(0.01));
        Self { min_lon: lon - half_lon, min_lat: lat - half_lat, max_lon: lon + half_lon, max_lat: lat + half_lat }
    }
}

/// An OGC `datetime` value: an instant, or an interval `start/end` with `..` (or nothing) for
/// an open end. A bare date stands for that whole day (UTC).
pub type TimeRange = (Option<chrono::DateTime<chrono::Utc>>, Option<chrono::DateTime<chrono::Utc>>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("datetime is an RFC 3339 instant or an interval start/end with .. for an open end")]
pub struct DatetimeError;

pub fn parse_datetime(raw: &str) -> Result<TimeRange, DatetimeError> {
    use chrono::{DateTime, NaiveDate, Utc};
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let instant = |s: &str, end: bool| -> Result<Option<DateTime<Utc>>, DatetimeError> {
        match s.trim() {
            "" | ".." => Ok(None),
            v => {
                if let Ok(t) = DateTime::parse_from_rfc3339(v) {
                    return Ok(Some(t.with_timezone(&Utc)));
                }
                let d = day(v).ok_or(DatetimeError)?;
                let time = if end { d.and_hms_opt(23, 59, 59) } else { d.and_hms_opt(0, 0, 0) };
                Ok(time.map(|t| t.and_utc()))
            }
        }
    };
    match raw.split_once('/') {
        Some((a, b)) => {
            let (from, to) = (instant(a, false)?, instant(b, true)?);
            if from.is_none() && to.is_none() {
                return Err(DatetimeError);
            }
            if let (Some(f), Some(t)) = (from, to)
                && f > t
            {
                return Err(DatetimeError);
            }
            Ok((from, to))
        }
        None if raw.trim() == ".." || raw.trim().is_empty() => Err(DatetimeError),
        None => Ok((instant(raw, false)?, instant(raw, true)?)),
    }
}

/// A point location: longitude then latitude, in range.
pub fn check_point(lon: f64, lat: f64) -> bool {
    lon.is_finite() && lat.is_finite() && (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn square(lon: f64, lat: f64, side: f64) -> AreaGeometry {
        AreaGeometry::Polygon {
            coordinates: vec![vec![
                vec![lon, lat],
                vec![lon + side, lat],
                vec![lon + side, lat + side],
                vec![lon, lat + side],
                vec![lon, lat],
            ]],
        }
    }

    #[test]
    fn growing_area_codes() {
        let code = GrowingAreaCode::parse("vn-22-202-06739-001-24").expect("valid");
        assert_eq!(code.as_str(), "VN-22-202-06739-001-24");
        assert_eq!(code.commune(), "06739");
        assert!(GrowingAreaCode::parse("VN-22-000-06739-12-25").is_ok());
        assert_eq!(GrowingAreaCode::parse("VN-22-202-06739-001"), Err(GrowingAreaCodeError::Shape));
        assert_eq!(GrowingAreaCode::parse("US-22-202-06739-001-24"), Err(GrowingAreaCodeError::Shape));
        assert_eq!(GrowingAreaCode::parse("VN-22-2020-06739-001-24"), Err(GrowingAreaCodeError::UnitDigits));
        assert_eq!(GrowingAreaCode::parse("VN-22-202-06739-00001-24"), Err(GrowingAreaCodeError::Facility));
        assert_eq!(GrowingAreaCode::parse("VN-22-202-06739-001-2024"), Err(GrowingAreaCodeError::Year));
    }

    #[test]
    fn valid_polygons_and_their_area() {
        // 0.01° × 0.01° at 21° N ≈ 1.1132 km × 1.0392 km ≈ 115.7 ha.
        let g = square(107.0, 21.0, 0.01);
        assert_eq!(g.validate(), Ok(()));
        let ha = g.area_ha();
        assert!((ha - 115.7).abs() < 1.0, "{ha}");
        let b = g.bbox();
        assert_eq!((b.min_lon, b.max_lat), (107.0, 21.01));
    }

    #[test]
    fn holes_are_subtracted_and_multipolygons_added() {
        let outer = square(107.0, 21.0, 0.02);
        let hole = square(107.005, 21.005, 0.01);
        let (AreaGeometry::Polygon { coordinates: o }, AreaGeometry::Polygon { coordinates: h }) = (&outer, &hole)
        else {
            unreachable!()
        };
        let mut holed = o.clone();
        holed.push(h[0].iter().rev().cloned().collect());
        let with_hole = AreaGeometry::Polygon { coordinates: holed };
        assert_eq!(with_hole.validate(), Ok(()));
        assert!((with_hole.area_ha() - (outer.area_ha() - hole.area_ha())).abs() < 1e-6);
        let multi = AreaGeometry::MultiPolygon { coordinates: vec![o.clone(), h.clone()] };
        assert!((multi.area_ha() - (outer.area_ha() + hole.area_ha())).abs() < 1e-6);
    }

    #[test]
    fn broken_geometries_are_refused_with_a_path() {
        let open = AreaGeometry::Polygon {
            coordinates: vec![vec![vec![107.0, 21.0], vec![107.1, 21.0], vec![107.1, 21.1], vec![107.0, 21.1]]],
        };
        assert_eq!(open.validate(), Err(GeometryError::NotClosed { path: "coordinates[0]".into() }));
        let short =
            AreaGeometry::Polygon { coordinates: vec![vec![vec![107.0, 21.0], vec![107.1, 21.0], vec![107.0, 21.0]]] };
        assert!(matches!(short.validate(), Err(GeometryError::TooFewPositions { .. })));
        let swapped = square(21.0, 107.0, 0.01);
        assert_eq!(swapped.validate(), Err(GeometryError::OutOfRange { path: "coordinates[0][0]".into() }));
        // A bow tie crosses itself.
        let bow = AreaGeometry::Polygon {
            coordinates: vec![vec![
                vec![107.0, 21.0],
                vec![107.1, 21.1],
                vec![107.1, 21.0],
                vec![107.0, 21.1],
                vec![107.0, 21.0],
            ]],
        };
        assert_eq!(bow.validate(), Err(GeometryError::SelfIntersection { path: "coordinates[0]".into() }));
        let huge: Vec<Vec<f64>> = (0..=MAX_POSITIONS).map(|i| vec![107.0 + i as f64 * 1e-6, 21.0]).collect();
        assert!(matches!(
            AreaGeometry::Polygon { coordinates: vec![huge] }.validate(),
            Err(GeometryError::TooLarge { .. })
        ));
        let nothing = AreaGeometry::MultiPolygon { coordinates: vec![] };
        assert!(matches!(nothing.validate(), Err(GeometryError::Empty { .. })));
        let bad = AreaGeometry::Polygon { coordinates: vec![vec![vec![107.0]; 4]] };
        assert!(matches!(bad.validate(), Err(GeometryError::Position { .. })));
    }

    #[test]
    fn area_check_minimum_and_mismatch() {
        let g = square(107.0, 21.0, 0.001); // ≈ 1.16 ha
        let ok = check_area(&g, 1.2, CropCycle::Perennial);
        assert!(!ok.below_minimum && !ok.mismatch, "{ok:?}");
        let far = check_area(&g, 3.0, CropCycle::Perennial);
        assert!(far.mismatch);
        let small = check_area(&g, 0.5, CropCycle::Perennial);
        assert!(small.below_minimum);
        assert!(!check_area(&g, 0.5, CropCycle::Annual).below_minimum);
    }

    #[test]
    fn bbox_parsing_and_edges() {
        let b = Bbox::parse("107,21,107.5,21.5").expect("bbox");
        assert!(b.contains_point(107.0, 21.5), "edges are inside");
        assert!(!b.contains_point(106.999_999, 21.2));
        let touching = Bbox { min_lon: 107.5, min_lat: 21.5, max_lon: 108.0, max_lat: 22.0 };
        assert!(b.intersects(&touching), "a shared corner intersects");
        let apart = Bbox { min_lon: 107.500_001, ..touching };
        assert!(!b.intersects(&apart));
        assert_eq!(Bbox::parse("1,2,3"), Err(BboxError::Shape));
        assert_eq!(Bbox::parse("1,2,3,x"), Err(BboxError::Shape));
        assert_eq!(Bbox::parse("107,21,0,107.5,21.5,100"), Ok(b));
        assert_eq!(Bbox::parse("0,0,0,0,0"), Err(BboxError::Shape));
        assert_eq!(Bbox::parse("181,0,182,1"), Err(BboxError::Range));
        assert_eq!(Bbox::parse("108,21,107,22"), Err(BboxError::Order));
    }

    #[test]
    fn datetimes_and_intervals() {
        let (from, to) = parse_datetime("2026-01-01T00:00:00Z/..").expect("open end");
        assert!(from.is_some() && to.is_none());
        let (from, to) = parse_datetime("../2026-11-22").expect("open start");
        assert!(from.is_none() && to.expect("end").to_rfc3339().starts_with("2026-11-22T23:59:59"));
        let (from, to) = parse_datetime("2026-11-22").expect("a day");
        assert!(from.expect("from") < to.expect("to"));
        assert_eq!(parse_datetime("../.."), Err(DatetimeError));
        assert_eq!(parse_datetime("yesterday"), Err(DatetimeError));
        assert_eq!(parse_datetime("2026-12-01/2026-01-01"), Err(DatetimeError));
    }

    proptest! {
        #[test]
        fn squares_are_valid_and_areas_scale(lon in -170.0f64..170.0, lat in -60.0f64..60.0, side in 0.0005f64..0.5) {
            let g = square(lon, lat, side);
            prop_assert_eq!(g.validate(), Ok(()));
            let area = g.area_ha();
            let double = square(lon, lat, side * 2.0).area_ha();
            prop_assert!(area > 0.0);
            // Doubling the side about quadruples the area (slightly less or more with latitude).
            prop_assert!((double / area - 4.0).abs() < 0.1, "{} {}", area, double);
        }

        #[test]
        fn a_box_intersects_itself_and_what_it_contains(
            a in -179.0f64..179.0, b in -89.0f64..89.0, w in 0.0f64..1.0, h in 0.0f64..1.0,
        ) {
            let bbox = Bbox { min_lon: a, min_lat: b, max_lon: a + w, max_lat: b + h };
            prop_assert!(bbox.intersects(&bbox));
            prop_assert!(bbox.contains_point(a, b) && bbox.contains_point(a + w, b + h));
        }
    }
}
