import { useMemo } from "react";
import { Card, Col, Row } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useI18n } from "../i18n";
import { BarChart } from "./BarChart";
import { MapPanel } from "../maps/MapPanel";
import { communesQuery, fetchCollection } from "../maps/geojson";
import { useSession } from "../auth/session";

/** Certified products of a unit, from none to the most of any unit: grey, then four greens. */
const SHADES = ["#c8e6c9", "#81c784", "#43a047", "#1b5e20"];
function progressColor(count: number, most: number): string {
  if (count <= 0 || most <= 0) return "#eceff1";
  return SHADES[Math.min(SHADES.length - 1, Math.ceil((count / most) * SHADES.length) - 1)]!;
}
import { keys } from "../api/keys";

const OGC = "/api/v1/geo/collections";

/** The home dashboard's chart of certified products per area (from the products report) and
 * the province map; the map draws its data without a base map when no tile server is reachable. */
export function DashboardCharts() {
  const { t } = useI18n();
  const session = useSession();
  const report = useQuery({ queryKey: keys.report.part("products", "dashboard"), queryFn: async () => unwrap(await api.GET("/api/v1/reports/{kind}", { params: { path: { kind: "products" } } })) });
  const settings = useQuery({ queryKey: keys.mapSettings.all, queryFn: async () => unwrap(await api.GET("/api/v1/map-settings")) });
  const areas = useQuery({ queryKey: keys.dashboardMap.part("areas"), queryFn: () => fetchCollection(`${OGC}/growing-areas/items?limit=1000`) });
  const villages = useQuery({ queryKey: keys.dashboardMap.part("villages"), queryFn: () => fetchCollection(`${OGC}/craft-villages/items?limit=1000`) });
  const points = useQuery({ queryKey: keys.dashboardMap.part("points"), queryFn: () => fetchCollection(`${OGC}/sales-points/items?limit=1000`) });
  // Rows are (area, group, registered, 3★, 4★, 5★, certified); the last is the total.
  const rows = (((report.data as components["schemas"]["Report"] | undefined)?.rows ?? []) as unknown as (string | number | null)[][]).slice(0, -1);
  const byArea = new Map<string, number[]>();
  for (const r of rows) {
    const sum = byArea.get(String(r[0])) ?? [0, 0, 0];
    [3, 4, 5].forEach((c, i) => (sum[i] = (sum[i] ?? 0) + Number(r[c] ?? 0)));
    byArea.set(String(r[0]), sum);
  }
  const categories = [...byArea.keys()];
  // Units with a boundary are coloured by their certified products (rows name the unit).
  const communes = useQuery(communesQuery);
  const unitColors = useMemo(() => {
    const certified = new Map<string, number>();
    for (const r of rows) certified.set(String(r[0]), (certified.get(String(r[0])) ?? 0) + Number(r[6] ?? 0));
    const most = Math.max(0, ...certified.values());
    const colors: Record<string, string> = {};
    for (const f of communes.data?.features ?? []) {
      const name = String(f.properties.name ?? "");
      if (f.geometry?.type !== "Point" && certified.has(name)) colors[String(f.properties.code)] = progressColor(certified.get(name) ?? 0, most);
    }
    return colors;
  }, [report.data, communes.data]);
  return (
    <Row gutter={16} style={{ marginTop: 16 }}>
      <Col xs={24} lg={12}>
        <Card title={t("dashboard.stars")} data-testid="stars-chart">
          <BarChart
            label={t("dashboard.stars")}
            stacked
            categories={categories}
            series={["3★", "4★", "5★"].map((name, i) => ({ name, values: categories.map((c) => byArea.get(c)?.[i] ?? 0) }))}
          />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t("dashboard.map")}>
          <MapPanel basemap={settings.data?.basemap_style_url} area={session?.user.admin_unit} unitColors={unitColors} areas={areas.data?.features ?? []} villages={villages.data?.features ?? []} points={points.data?.features ?? []} />
        </Card>
      </Col>
    </Row>
  );
}
