// The GeoJSON shapes the map reads, and the crop palette.
import { fetchText } from "../api/files";
import { keys } from "../api/keys";

export interface Geometry {
  type: string;
  coordinates: unknown;
}

export interface Feature {
  type: "Feature";
  id?: string | number;
  geometry: Geometry | null;
  properties: Record<string, unknown>;
  /** minLon, minLat, maxLon, maxLat, where the server gives it. */
  bbox?: [number, number, number, number];
}

export interface FeatureCollection {
  type: "FeatureCollection";
  features: Feature[];
  numberMatched?: number;
}

const PALETTE = ["#2e7d32", "#f9a825", "#6a1b9a", "#00838f", "#c62828", "#4e342e", "#1565c0", "#ad1457", "#558b2f", "#ef6c00"];

/** A stable colour per crop (same crop, same colour, on every page). */
export function cropColor(crop: string): string {
  let h = 0;
  for (const ch of crop.normalize("NFC").toLowerCase()) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return PALETTE[h % PALETTE.length] ?? PALETTE[0]!;
}

/** The administrative units as a map layer (OGC API – Features). */
export const UNITS = "/api/v1/geo/collections/admin-units/items";

/** The current communes with their centroids (and boundaries), one query for every map. */
export const communesQuery = {
  queryKey: keys.publicMap.part("communes"),
  queryFn: () => fetchCollection(`${UNITS}?level=commune&limit=1000`),
};

/** Reads a GeoJSON collection of this API (public, or with the session's token when signed in). */
export async function fetchCollection(path: string): Promise<FeatureCollection> {
  return JSON.parse(await fetchText(path)) as FeatureCollection;
}
