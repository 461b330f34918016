import { useState } from "react";
import { App, Button, Card, Input, InputNumber, Select, Space, Table, Typography } from "antd";
import { DownloadOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useI18n } from "../i18n";
import { download, query } from "../api/files";
import { problemMessage } from "../lib/problem";
import { keys } from "../api/keys";

const KINDS = ["products", "subjects", "certificates", "cycle", "training", "funding"] as const;
type Kind = (typeof KINDS)[number];
type Cell = string | number | null;
type Report = components["schemas"]["Report"];

function show(v: Cell): string {
  if (v == null) return "";
  return typeof v === "number" ? v.toLocaleString("vi-VN") : v;
}

/** The standard reports: pick one, filter by area, years and group, read it or download it. */
export function ReportsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [kind, setKind] = useState<Kind>("products");
  const [area, setArea] = useState<string>("");
  const [from, setFrom] = useState<number | null>(2019);
  const [to, setTo] = useState<number | null>(new Date().getFullYear());
  const [group, setGroup] = useState<string | undefined>();
  const filters = { area: area.trim() || undefined, year_from: from ?? undefined, year_to: to ?? undefined, group };
  const report = useQuery({
    queryKey: keys.report.detail(kind, filters),
    queryFn: async () => unwrap(await api.GET("/api/v1/reports/{kind}", { params: { path: { kind }, query: filters } })),
  });
  const save = (format: "xlsx" | "pdf") =>
    download(`/api/v1/reports/${kind}${query({ ...filters, format })}`, `bao-cao.${format}`).catch((e) => message.error(problemMessage(e, lang)));
  // The 200 answer is JSON here (no `format`): the report itself.
  const data = report.data as Report | undefined;
  const rows = (data?.rows ?? []) as unknown as Cell[][];
  return (
    <Card title={t("reports.title")}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select<Kind> value={kind} onChange={setKind} style={{ width: 280 }} aria-label={t("reports.kind")} data-testid="report-kind" options={KINDS.map((k) => ({ value: k, label: t(`report.${k}`) }))} />
        <Input placeholder={t("reports.area")} value={area} onChange={(e) => setArea(e.target.value)} style={{ width: 120 }} />
        <InputNumber placeholder={t("reports.from")} value={from} onChange={setFrom} min={2000} max={2100} />
        <InputNumber placeholder={t("reports.to")} value={to} onChange={setTo} min={2000} max={2100} />
        <Select allowClear placeholder={t("reports.group")} value={group} onChange={setGroup} style={{ width: 160 }} options={["1", "2", "3", "4", "5", "6"].map((g) => ({ value: g, label: `${t("reports.group")} ${g}` }))} />
        <Button icon={<DownloadOutlined />} onClick={() => save("xlsx")}>
          Excel
        </Button>
        <Button icon={<DownloadOutlined />} onClick={() => save("pdf")} data-testid="report-pdf">
          PDF
        </Button>
      </Space>
      {report.isError && <Typography.Text type="danger">{problemMessage(report.error, lang)}</Typography.Text>}
      {data && (
        <>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {data.title}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{data.caption}</Typography.Paragraph>
          <Table
            size="small"
            data-testid="report-table"
            rowKey={(_, i) => String(i)}
            dataSource={rows}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: true }}
            columns={data.columns.map((title, i) => ({
              title,
              key: String(i),
              align: rows.some((r) => typeof r[i] === "number") ? ("right" as const) : undefined,
              render: (_: unknown, r: Cell[]) => show(r[i] ?? null),
            }))}
          />
        </>
      )}
    </Card>
  );
}
