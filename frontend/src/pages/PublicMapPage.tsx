import { Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { PublicLayout } from "../public/PublicLayout";
import { MapPanel } from "../map/MapPanel";
import { fetchCollection } from "../map/geojson";

const OGC = "/api/v1/geo/collections";

/** The visitors' map (no sign-in): craft villages with their tourism services, sales points. */
export function PublicMapPage() {
  const { t } = useI18n();
  const settings = useQuery({ queryKey: ["map-settings"], queryFn: async () => unwrap(await api.GET("/api/v1/map-settings")) });
  const villages = useQuery({ queryKey: ["public-map", "villages"], queryFn: () => fetchCollection(`${OGC}/craft-villages/items?limit=1000`) });
  const points = useQuery({ queryKey: ["public-map", "points"], queryFn: () => fetchCollection(`${OGC}/sales-points/items?limit=1000`) });
  return (
    <PublicLayout>
      <Typography.Title level={3}>{t("map.publicTitle")}</Typography.Title>
      <MapPanel basemap={settings.data?.basemap_style_url} areas={[]} villages={villages.data?.features ?? []} points={points.data?.features ?? []} />
    </PublicLayout>
  );
}
