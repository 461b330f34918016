// The map: growing areas as coloured polygons (WebGL), craft villages and sales points as
// DOM markers with popups, framed on the province and with the communes' names once zoomed
// in. With no base-map style it draws on a plain background, so it works where no tile
// server is reachable.
import { useEffect, useRef, useState } from "react";
import maplibregl, { type GeoJSONSource, type StyleSpecification } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import "./map.css";
import type { Feature, FeatureCollection } from "./geojson";
import { cropColor } from "./geojson";

const PLAIN: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: "background", type: "background", paint: { "background-color": "#eef3f1" } }],
};

const EMPTY: FeatureCollection = { type: "FeatureCollection", features: [] };

export interface Layers {
  areas: boolean;
  villages: boolean;
  points: boolean;
}

/** Communes are named from this zoom on (a province fills the map at about 8). */
export const LABEL_ZOOM = 9;

interface Props {
  basemap?: string | null;
  /** The box to frame first (the province), before any feature. */
  frame?: [number, number, number, number];
  /** Communes with their centroid, named on the map when zoomed in, and their boundary
   * outlined where one was imported. */
  communes?: Feature[];
  /** A fill colour per unit code, for units with a boundary (the dashboard's progress). */
  unitColors?: Record<string, string>;
  areas: Feature[];
  villages: Feature[];
  points: Feature[];
  layers: Layers;
  /** The polygon being drawn (lon, lat vertices). */
  draft?: [number, number][];
  /** Clicks on the map while drawing. */
  onMapClick?: (lonLat: [number, number]) => void;
  /** Popup content for a feature. */
  popup: (feature: Feature) => HTMLElement;
}

function bounds(features: Feature[]): maplibregl.LngLatBounds | null {
  const b = new maplibregl.LngLatBounds();
  let any = false;
  const add = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === "number") {
      b.extend([c[0] as number, c[1] as number]);
      any = true;
    } else if (Array.isArray(c)) c.forEach(add);
  };
  features.forEach((f) => add(f.geometry?.coordinates));
  return any ? b : null;
}

export function MapView({ basemap, frame, communes = [], unitColors, areas, villages, points, layers, draft, onMapClick, popup }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<maplibregl.Map | null>(null);
  const ready = useRef(false);
  // Framed on the province, or fitted to the features, once per map.
  const framed = useRef(false);
  const fitted = useRef(false);
  const markers = useRef<{ layer: "villages" | "points"; marker: maplibregl.Marker }[]>([]);
  const clickHandler = useRef(onMapClick);
  clickHandler.current = onMapClick;
  const popupRef = useRef(popup);
  popupRef.current = popup;

  // Runs `apply` once the map has loaded: now, if it has.
  const whenReady = (m: maplibregl.Map, apply: () => void) => {
    if (ready.current) apply();
    else m.once("ocop:ready", apply);
  };

  // Unknown yet (undefined) and none (null) are the same plain style: no second map.
  const style = basemap || "";
  // Each new map (a new style) gets the markers and labels again.
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!container.current) return;
    const m = new maplibregl.Map({
      container: container.current,
      style: style || PLAIN,
      center: [107.2, 21.1],
      zoom: 8,
      attributionControl: false,
    });
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    m.on("load", () => {
      // Unit boundaries first: beneath everything else.
      m.addSource("units", { type: "geojson", data: EMPTY });
      m.addLayer({ id: "units-fill", type: "fill", source: "units", filter: ["has", "color"], paint: { "fill-color": ["get", "color"], "fill-opacity": 0.35 } });
      m.addLayer({ id: "units-line", type: "line", source: "units", paint: { "line-color": "#78909c", "line-width": 1 } });
      m.addSource("areas", { type: "geojson", data: EMPTY });
      m.addSource("draft", { type: "geojson", data: EMPTY });
      m.addLayer({ id: "areas-fill", type: "fill", source: "areas", paint: { "fill-color": ["get", "color"], "fill-opacity": 0.55 } });
      m.addLayer({ id: "areas-line", type: "line", source: "areas", paint: { "line-color": "#1b5e20", "line-width": 1.5 } });
      m.addLayer({ id: "draft-fill", type: "fill", source: "draft", paint: { "fill-color": "#f57c00", "fill-opacity": 0.3 } });
      m.addLayer({ id: "draft-line", type: "line", source: "draft", paint: { "line-color": "#e65100", "line-width": 2, "line-dasharray": [2, 1] } });
      m.on("click", "areas-fill", (e) => {
        // Markers sit in the map's own element, so their clicks reach the map too: a village
        // inside a growing area opens its own popup, not the area's as well.
        if (clickHandler.current || (e.originalEvent.target as Element | null)?.closest(".maplibregl-marker")) return;
        const f = e.features?.[0];
        if (!f) return;
        new maplibregl.Popup().setLngLat(e.lngLat).setDOMContent(popupRef.current({ type: "Feature", id: f.properties?.id, geometry: null, properties: f.properties ?? {} })).addTo(m);
      });
      m.on("mouseenter", "areas-fill", () => (m.getCanvas().style.cursor = "pointer"));
      m.on("mouseleave", "areas-fill", () => (m.getCanvas().style.cursor = ""));
      ready.current = true;
      container.current?.setAttribute("data-loaded", "true");
      m.fire("ocop:ready");
    });
    m.on("click", (e) => clickHandler.current?.([e.lngLat.lng, e.lngLat.lat]));
    map.current = m;
    setGeneration((g) => g + 1);
    return () => {
      ready.current = false;
      framed.current = false;
      fitted.current = false;
      m.remove();
      map.current = null;
    };
  }, [style]);

  // The province frames the map once, as soon as its box is known.
  useEffect(() => {
    const m = map.current;
    if (!m || !frame || framed.current) return;
    const apply = () => {
      m.fitBounds([[frame[0], frame[1]], [frame[2], frame[3]]], { padding: 20, duration: 0 });
      framed.current = true;
      container.current?.setAttribute("data-framed", "true");
    };
    whenReady(m, apply);
  }, [frame, generation]);

  // Boundaries where imported, filled with the unit's colour when one is given.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const apply = () => {
      const data: FeatureCollection = {
        type: "FeatureCollection",
        features: communes
          .filter((f) => f.geometry?.type === "Polygon" || f.geometry?.type === "MultiPolygon")
          .map((f) => {
            const color = unitColors?.[String(f.properties.code ?? "")];
            return { ...f, properties: color ? { code: f.properties.code, color } : { code: f.properties.code } };
          }),
      };
      (m.getSource("units") as GeoJSONSource | undefined)?.setData(data as never);
      container.current?.setAttribute("data-boundaries", String(data.features.length));
      container.current?.setAttribute("data-coloured", String(data.features.filter((f) => f.properties.color).length));
    };
    whenReady(m, apply);
  }, [communes, unitColors, generation]);

  // Commune names: light DOM labels at the centroids that let clicks through, shown from
  // LABEL_ZOOM on.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const centre = (f: Feature): [number, number] | null => {
      const c = f.properties.centroid ?? (f.geometry?.type === "Point" ? f.geometry.coordinates : null);
      return Array.isArray(c) && typeof c[0] === "number" && typeof c[1] === "number" ? [c[0], c[1]] : null;
    };
    const labels = communes.flatMap((f) => {
      const at = centre(f);
      if (!at) return [];
      const el = document.createElement("div");
      el.className = "ocop-unit-label";
      el.textContent = String(f.properties.name ?? "");
      el.setAttribute("data-code", String(f.properties.code ?? ""));
      return [new maplibregl.Marker({ element: el }).setLngLat(at).addTo(m)];
    });
    const show = () => labels.forEach((l) => (l.getElement().style.visibility = m.getZoom() >= LABEL_ZOOM ? "visible" : "hidden"));
    show();
    m.on("zoom", show);
    return () => {
      m.off("zoom", show);
      labels.forEach((l) => l.remove());
    };
  }, [communes, generation]);

  // Polygons: colour by crop, and fit the view to everything once (unless the province did).
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const apply = () => {
      const data: FeatureCollection = {
        type: "FeatureCollection",
        features: layers.areas
          ? areas.map((f) => ({ ...f, properties: { ...f.properties, id: f.id, color: cropColor(String(f.properties.crop ?? "")) } }))
          : [],
      };
      (m.getSource("areas") as GeoJSONSource | undefined)?.setData(data as never);
      if (!fitted.current && !framed.current) {
        const b = bounds([...areas, ...villages, ...points]);
        if (b) {
          m.fitBounds(b, { padding: 60, maxZoom: 14, duration: 0 });
          fitted.current = true;
        }
      }
    };
    whenReady(m, apply);
  }, [areas, villages, points, layers.areas, generation]);

  // The polygon being drawn.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const apply = () => {
      const ring = draft && draft.length ? [...draft, draft[0]] : [];
      const data: FeatureCollection = {
        type: "FeatureCollection",
        features: ring.length >= 4 ? [{ type: "Feature", geometry: { type: "Polygon", coordinates: [ring] }, properties: {} }] : ring.length ? [{ type: "Feature", geometry: { type: "LineString", coordinates: ring }, properties: {} }] : [],
      };
      (m.getSource("draft") as GeoJSONSource | undefined)?.setData(data as never);
      m.getCanvas().style.cursor = draft ? "crosshair" : "";
    };
    whenReady(m, apply);
  }, [draft, generation]);

  // Points as DOM markers: clickable, accessible, independent of WebGL.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    markers.current.forEach(({ marker }) => marker.remove());
    const make = (f: Feature, layer: "villages" | "points") => {
      const [lon, lat] = (f.geometry?.coordinates ?? [0, 0]) as [number, number];
      const el = document.createElement("button");
      el.type = "button";
      el.className = `ocop-marker ocop-marker-${layer}`;
      el.setAttribute("aria-label", String(f.properties.name ?? ""));
      el.title = String(f.properties.name ?? "");
      el.textContent = layer === "villages" ? "★" : "●";
      const marker = new maplibregl.Marker({ element: el }).setLngLat([lon, lat]).setPopup(new maplibregl.Popup({ offset: 14 }).setDOMContent(popupRef.current(f))).addTo(m);
      return { layer, marker };
    };
    markers.current = [...villages.map((f) => make(f, "villages")), ...points.map((f) => make(f, "points"))];
  }, [villages, points, generation]);

  useEffect(() => {
    markers.current.forEach(({ layer, marker }) => {
      marker.getElement().style.display = layers[layer] ? "" : "none";
      if (!layers[layer]) marker.getPopup()?.remove();
    });
  }, [layers, villages, points, generation]);

  return <div ref={container} data-testid="map" style={{ height: 520, width: "100%", borderRadius: 8, overflow: "hidden", border: "1px solid #d9d9d9" }} />;
}
