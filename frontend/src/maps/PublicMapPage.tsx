import { Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { PublicLayout } from "../catalog/PublicLayout";
import { MapPanel } from "./MapPanel";
import { fetchCollection } from "./geojson";
import { keys } from "../api/keys";

const OGC = "/api/v1/geo/collections";

/** The visitors' map (no sign-in): craft villages with their tourism services, sales points. */
export function PublicMapPage() {
  const { t } = useI18n();
  const settings = useQuery({ queryKey: keys.mapSettings.all, queryFn: async () => unwrap(await api.GET("/api/v1/map-settings")) });
  const villages = useQuery({ queryKey: keys.publicMap.part("villages"), queryFn: () => fetchCollection(`${OGC}/craft-villages/items?limit=1000`) });
  const points = useQuery({ queryKey: keys.publicMap.part("points"), queryFn: () => fetchCollection(`${OGC}/sales-points/items?limit=1000`) });
  return (
    <PublicLayout>
      <Typography.Title level={3}>{t("map.publicTitle")}</Typography.Title>
      <MapPanel basemap={settings.data?.basemap_style_url} areas={[]} villages={villages.data?.features ?? []} points={points.data?.features ?? []} />
    </PublicLayout>
  );
}
