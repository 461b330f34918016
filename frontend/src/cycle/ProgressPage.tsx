import { useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { Card, Col, Row, Space, Statistic, Table, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { UnitSelect } from "../components/UnitSelect";
import { CycleSelect, STATUSES, StatusTag } from "../registry/components";
import { BarChart } from "./BarChart";
import { keys } from "../api/keys";

export function ProgressPage() {
  const { t, tk } = useI18n();
  const [cycle, setCycle] = useState<string | undefined>();
  const [area, setArea] = useState<string | null>(null);
  const progress = useQuery({
    queryKey: keys.progress.part("stages", cycle, area),
    enabled: !!cycle,
    queryFn: async () => unwrap(await api.GET("/api/v1/progress/stages", { params: { query: { cycle_id: cycle ?? "", area_id: area ?? undefined } } })),
  });
  const overdue = useQuery({
    queryKey: keys.progress.part("overdue", cycle, area),
    enabled: !!cycle,
    queryFn: async () => unwrap(await api.GET("/api/v1/progress/overdue", { params: { query: { cycle_id: cycle ?? "", area_id: area ?? undefined, limit: 50 } } })),
  });
  const subjects = useQuery({
    queryKey: keys.progress.part("subjects", cycle, area),
    enabled: !!cycle,
    queryFn: async () => unwrap(await api.GET("/api/v1/progress/subjects", { params: { query: { cycle_id: cycle ?? "", area_id: area ?? undefined, limit: 50 } } })),
  });
  const p = progress.data;
  const stageChart = useMemo(
    () => (p ? { categories: p.by_stage.map((s) => tk("stage", s.stage)), series: [{ name: t("progress.total"), values: p.by_stage.map((s) => s.count) }] } : null),
    [p, t, tk],
  );
  const areaChart = useMemo(
    () =>
      p
        ? {
            categories: p.areas.map((a) => a.unit.name),
            series: STATUSES.map((status) => ({ name: tk("status", status), values: p.areas.map((a) => a.by_status.find((s) => s.status === status)?.count ?? 0) })),
          }
        : null,
    [p, tk],
  );
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("nav.progress")}
        </Typography.Title>
        <Space wrap>
          <CycleSelect value={cycle} onChange={setCycle} />
          <div style={{ width: 260 }}>
            <UnitSelect value={area} onChange={setArea} placeholder={t("progress.area")} />
          </div>
        </Space>
      </Space>
      {p && (
        <>
          <Row gutter={16}>
            <Col xs={12} md={6}>
              <Card data-testid="progress-total"><Statistic title={`${t("progress.total")} — ${p.area.name}`} value={p.total} /></Card>
            </Col>
            <Col xs={12} md={6}>
              <Card data-testid="progress-overdue"><Statistic title={t("progress.overdue")} value={p.overdue} valueStyle={{ color: p.overdue ? "#cf1322" : undefined }} /></Card>
            </Col>
            {p.by_status.slice(0, 2).map((s) => (
              <Col xs={12} md={6} key={s.status}>
                <Card data-testid={`progress-${s.status}`}><Statistic title={tk("status", s.status)} value={s.count} /></Card>
              </Col>
            ))}
          </Row>
          <Row gutter={16} style={{ marginTop: 16 }}>
            <Col xs={24} lg={10}>
              <Card title={t("progress.byStage")}>{stageChart && <BarChart label={t("progress.byStage")} {...stageChart} />}</Card>
            </Col>
            <Col xs={24} lg={14}>
              <Card title={t("progress.byArea")}>{areaChart && <BarChart label={t("progress.byArea")} stacked {...areaChart} />}</Card>
            </Col>
          </Row>
          <Card title={t("progress.byArea")} style={{ marginTop: 16 }}>
            <Table
              rowKey={(a) => a.unit.id}
              size="small"
              pagination={false}
              dataSource={p.areas.filter((a) => a.total > 0)}
              columns={[
                { title: t("progress.area"), render: (_, a) => a.unit.name },
                ...STATUSES.map((status) => ({ title: tk("status", status), align: "right" as const, render: (_: unknown, a: (typeof p.areas)[number]) => a.by_status.find((s) => s.status === status)?.count ?? 0 })),
                { title: t("progress.overdue"), dataIndex: "overdue", align: "right" as const },
                { title: t("total"), dataIndex: "total", align: "right" as const },
              ]}
            />
          </Card>
        </>
      )}
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} lg={12}>
          <Card title={`${t("progress.overdueList")} (${overdue.data?.total ?? 0})`}>
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={overdue.data?.items}
              columns={[
                { title: t("product.name"), render: (_, a) => <Link to={`/applications/${a.id}`}>{a.product?.name}</Link> },
                { title: t("product.status"), dataIndex: "status", render: (s: string) => <StatusTag status={s} /> },
                { title: t("cycle.deadline"), dataIndex: "deadline", render: (d?: string | null) => formatDate(d) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t("progress.bySubject")}>
            <Table
              rowKey="subject_id"
              size="small"
              pagination={false}
              dataSource={subjects.data?.items.filter((s) => s.total > 0)}
              columns={[
                { title: t("subject.name"), dataIndex: "name" },
                { title: t("subject.legalForm"), dataIndex: "legal_form", render: (v: string) => tk("legal", v) },
                { title: t("total"), dataIndex: "total", align: "right" as const },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
