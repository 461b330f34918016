import { lazy, Suspense } from "react";
import { Alert, Card, Col, Descriptions, Row, Statistic, Typography } from "antd";
import { Link } from "react-router-dom";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n";
import { TargetsCard } from "../programme/TargetsCard";
import { keys } from "../api/keys";

// The chart and the map (MapLibre) load after the page.
const DashboardCharts = lazy(() => import("../cycle/DashboardCharts").then((m) => ({ default: m.DashboardCharts })));

export function HomePage() {
  const session = useSession();
  const { t, tk } = useI18n();
  const isAdmin = session?.user.role === "admin";
  const units = useQuery({
    queryKey: keys.adminUnits.part("count"),
    queryFn: async () => unwrap(await api.GET("/api/v1/admin-units", { params: { query: { limit: 1 } } })).total,
  });
  const subjects = useQuery({
    queryKey: keys.subjects.part("count"),
    queryFn: async () => unwrap(await api.GET("/api/v1/subjects", { params: { query: { limit: 1 } } })).total,
  });
  const products = useQuery({
    queryKey: keys.products.part("count"),
    queryFn: async () => unwrap(await api.GET("/api/v1/products", { params: { query: { limit: 1 } } })).total,
  });
  const users = useQuery({
    queryKey: keys.users.part("count"),
    enabled: isAdmin,
    queryFn: async () => unwrap(await api.GET("/api/v1/users", { params: { query: { limit: 1 } } })).total,
  });
  const expiring = useQuery({
    queryKey: keys.certificates.part("expiring-count"),
    enabled: session?.user.role !== "council_member",
    queryFn: async () => unwrap(await api.GET("/api/v1/certificates", { params: { query: { expiring_within_days: 90, limit: 1 } } })).total,
  });
  if (!session) return null;
  return (
    <>
      <Typography.Title level={3}>
        {t("home.welcome")}, {session.user.display_name}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t("home.about")}</Typography.Paragraph>
      {!!expiring.data && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={<Link to="/certificates">{t("home.expiring").replace("{n}", String(expiring.data))}</Link>}
        />
      )}
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Card>
            <Descriptions column={1}>
              <Descriptions.Item label={t("home.role")}>{tk("role", session.user.role)}</Descriptions.Item>
              <Descriptions.Item label={t("home.area")}>{session.user.admin_unit?.name ?? t("home.wholeProvince")}</Descriptions.Item>
              <Descriptions.Item label="Email">{session.user.email}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t("home.units")} value={units.data ?? "…"} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t("nav.subjects")} value={subjects.data ?? "…"} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t("nav.products")} value={products.data ?? "…"} />
          </Card>
        </Col>
        {isAdmin && (
          <Col xs={12} md={6}>
            <Card>
              <Statistic title={t("home.users")} value={users.data ?? "…"} />
            </Card>
          </Col>
        )}
      </Row>
      {(isAdmin || session.user.role.endsWith("_officer")) && (
        <>
          <TargetsCard />
          <Suspense fallback={null}>
            <DashboardCharts />
          </Suspense>
        </>
      )}
    </>
  );
}
