// Layer toggles, legend, the map and the list of what it shows: shared by the signed-in map
// and the public one.
import { useMemo, useState } from "react";
import { Card, Checkbox, Col, Row, Space, Table, Tag, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { useI18n } from "../i18n";
import { formatVnd } from "../lib/format";
import { MapView, type Layers } from "./MapView";
import { UNITS, communesQuery, cropColor, fetchCollection, type Feature } from "./geojson";


interface Props {
  basemap?: string | null;
  /** The caller's area, framed first (else the province). */
  area?: { code: string; level: string } | null;
  /** A fill colour per unit code (units with a boundary). */
  unitColors?: Record<string, string>;
  areas: Feature[];
  villages: Feature[];
  points: Feature[];
  draft?: [number, number][];
  onMapClick?: (lonLat: [number, number]) => void;
  /** Actions on a row of the list (edit, attach). */
  rowActions?: (f: Feature) => React.ReactNode;
}

type T = (key: Parameters<ReturnType<typeof useI18n>["t"]>[0]) => string;

function popupFor(f: Feature, t: T, tk: (p: string, v: string) => string): HTMLElement {
  const p = f.properties;
  const root = document.createElement("div");
  root.className = "ocop-popup";
  const line = (text: string, strong = false) => {
    const el = document.createElement(strong ? "strong" : "div");
    el.textContent = text;
    root.appendChild(el);
    if (strong) root.appendChild(document.createElement("br"));
  };
  line(String(p.name ?? ""), true);
  switch (p.layer) {
    case "growing-areas":
      line(String(p.code ?? ""));
      line(`${t("map.crop")}: ${p.crop ?? ""}${p.variety ? ` (${p.variety})` : ""}`);
      line(`${t("map.area")}: ${p.declared_area_ha} ha (${t("map.drawn")} ${p.computed_area_ha} ha)`);
      if (Array.isArray(p.standards) && p.standards.length) line(`${t("map.standards")}: ${(p.standards as { standard: string }[]).map((s) => tk("standard", s.standard)).join(", ")}`);
      break;
    case "craft-villages":
      line(`${t("map.craft")}: ${p.craft ?? ""}`);
      if (p.description) line(String(p.description));
      for (const s of (p.services as { kind: string; name: string; price_vnd?: number | null; contact?: string | null }[]) ?? []) {
        line(`• ${tk("service", s.kind)}: ${s.name}${s.price_vnd != null ? ` — ${formatVnd(s.price_vnd)}` : ""}${s.contact ? ` — ${s.contact}` : ""}`);
      }
      break;
    case "sales-points":
      line(`${tk("spLevel", String(p.level ?? ""))} — ${p.operator ?? ""}`);
      line(String(p.address ?? ""));
      if (p.opening_hours) line(String(p.opening_hours));
      break;
  }
  // The feature's public record (published features), and its products for villages.
  if (p.published !== false && f.id != null) {
    const a = document.createElement("a");
    a.href = `/api/v1/geo/collections/${String(p.layer)}/items/${String(f.id)}`;
    a.target = "_blank";
    a.rel = "noreferrer";
    a.textContent = t("map.details");
    root.appendChild(a);
  }
  return root;
}

export function MapPanel({ basemap, area, unitColors, areas, villages, points, draft, onMapClick, rowActions }: Props) {
  const { t, tk } = useI18n();
  const [layers, setLayers] = useState<Layers>({ areas: true, villages: true, points: true });
  // The ground: the caller's area (or the province) frames the map, its communes are named
  // when zoomed in.
  const framing = area ? `${UNITS}?area=${encodeURIComponent(area.code)}&level=${area.level}&limit=1` : `${UNITS}?level=province&limit=1`;
  const frame = useQuery({ queryKey: keys.publicMap.part("frame", framing), queryFn: () => fetchCollection(framing) });
  const communes = useQuery(communesQuery);
  const crops = useMemo(() => [...new Set(areas.map((a) => String(a.properties.crop ?? "")))].sort(), [areas]);
  const rows = [
    ...(layers.areas ? areas : []),
    ...(layers.villages ? villages : []),
    ...(layers.points ? points : []),
  ];
  const toggle = (key: keyof Layers) => (e: { target: { checked: boolean } }) => setLayers({ ...layers, [key]: e.target.checked });
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} lg={18}>
          <MapView
            basemap={basemap}
            frame={frame.data?.features[0]?.bbox}
            communes={communes.data?.features ?? []}
            unitColors={unitColors}
            areas={areas}
            villages={villages}
            points={points}
            layers={layers}
            draft={draft}
            onMapClick={onMapClick}
            popup={(f) => popupFor(f, t, tk)}
          />
        </Col>
        <Col xs={24} lg={6}>
          <Card size="small" title={t("map.layers")} data-testid="legend">
            <Space direction="vertical">
              {areas.length > 0 || crops.length > 0 ? (
                <Checkbox checked={layers.areas} onChange={toggle("areas")}>{t("map.growingAreas")}</Checkbox>
              ) : null}
              {crops.map((c) => (
                <Space key={c} style={{ marginLeft: 24 }}>
                  <span style={{ display: "inline-block", width: 14, height: 14, background: cropColor(c), opacity: 0.7, borderRadius: 2 }} />
                  {c}
                </Space>
              ))}
              <Checkbox checked={layers.villages} onChange={toggle("villages")}>
                <span className="ocop-marker ocop-marker-villages ocop-legend-marker">★</span> {t("map.craftVillages")}
              </Checkbox>
              <Checkbox checked={layers.points} onChange={toggle("points")}>
                <span className="ocop-marker ocop-marker-points ocop-legend-marker">●</span> {t("map.salesPoints")}
              </Checkbox>
            </Space>
          </Card>
        </Col>
      </Row>
      <Table
        data-testid="feature-list"
        style={{ marginTop: 16 }}
        size="small"
        rowKey={(f) => `${f.properties.layer}-${f.id}`}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        dataSource={rows}
        columns={[
          { title: t("map.layer"), render: (_, f) => <Tag>{tk("layer", String(f.properties.layer))}</Tag> },
          { title: t("name"), render: (_, f) => String(f.properties.name ?? "") },
          {
            title: "",
            render: (_, f) =>
              f.properties.layer === "growing-areas"
                ? `${f.properties.code} · ${f.properties.crop} · ${f.properties.declared_area_ha} ha`
                : f.properties.layer === "craft-villages"
                  ? String(f.properties.craft ?? "")
                  : String(f.properties.address ?? ""),
          },
          ...(rowActions ? [{ title: "", render: (_: unknown, f: Feature) => rowActions(f) }] : []),
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t("map.noBasemap")}</Typography.Paragraph>
    </>
  );
}
