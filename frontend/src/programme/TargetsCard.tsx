import { useState } from "react";
import { App, Button, Card, Progress, Segmented, Space, Table, Tag, Typography } from "antd";
import { DownloadOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useI18n } from "../i18n";
import { download } from "../api/files";
import { problemMessage } from "../lib/problem";
import { keys } from "../api/keys";

type IndicatorProgress = components["schemas"]["IndicatorProgress"];
const TREND_COLORS: Record<string, string> = { reached: "green", on_track: "blue", behind: "red" };

function figure(i: IndicatorProgress, value: number | null | undefined): string {
  if (value == null) return "—";
  return i.share ? `${value}%` : String(value);
}

/** Targets of the caller's area (or a unit under it, by a click) and progress against them. */
export function TargetsCard() {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const [periodEnd, setPeriodEnd] = useState(2030);
  const [area, setArea] = useState<string | undefined>();
  const progress = useQuery({
    queryKey: keys.programmeProgress.detail(periodEnd, area),
    queryFn: async () => unwrap(await api.GET("/api/v1/programme/progress", { params: { query: { period_end: periodEnd, area } } })),
  });
  const data = progress.data;
  return (
    <Card
      title={`${t("targets.title")}${data ? ` — ${data.area.area.name} (${data.period_start}–${data.period_end})` : ""}`}
      extra={
        <Space>
          <Segmented value={periodEnd} onChange={(v) => setPeriodEnd(Number(v))} options={[2025, 2030]} />
          <Button
            size="small"
            icon={<DownloadOutlined />}
            onClick={() =>
              download(`/api/v1/programme/progress/export?period_end=${periodEnd}${area ? `&area=${area}` : ""}`, "tien-do-chi-tieu.xlsx").catch((e) =>
                message.error(problemMessage(e, lang)),
              )
            }
          >
            Excel
          </Button>
        </Space>
      }
      style={{ marginTop: 16 }}
      data-testid="targets"
    >
      {data && (
        <>
          <Typography.Paragraph type="secondary">
            {t("targets.elapsed")}: {data.elapsed_percent}%
            {area && (
              <>
                {" · "}
                <Typography.Link onClick={() => setArea(undefined)}>{t("targets.back")}</Typography.Link>
              </>
            )}
          </Typography.Paragraph>
          <Table<IndicatorProgress>
            rowKey="indicator"
            size="small"
            pagination={false}
            dataSource={data.area.indicators}
            columns={[
              { title: t("targets.indicator"), dataIndex: "indicator", render: (v: string) => tk("indicator", v) },
              {
                title: t("targets.actualOfTarget"),
                render: (_, i) => <span data-testid={`target-${i.indicator}`}>{`${figure(i, i.actual)} / ${figure(i, i.target)}`}</span>,
              },
              { title: "%", width: 200, render: (_, i) => (i.percent == null ? "—" : <Progress percent={Math.min(100, i.percent)} format={() => `${i.percent}%`} size="small" />) },
              { title: t("targets.trend"), dataIndex: "trend", render: (v?: string | null) => (v ? <Tag color={TREND_COLORS[v]}>{tk("trend", v)}</Tag> : t("targets.noData")) },
            ]}
          />
          {data.children.length > 0 && (
            <Table
              style={{ marginTop: 16 }}
              rowKey={(c) => c.area.id}
              size="small"
              pagination={false}
              dataSource={data.children}
              columns={[
                { title: t("targets.area"), render: (_, c) => <Typography.Link onClick={() => setArea(c.area.code)}>{c.area.name}</Typography.Link> },
                ...["products_standardised", "five_star", "three_four_star", "organisations_upgraded"].map((name) => ({
                  title: tk("indicator", name),
                  render: (_: unknown, c: (typeof data.children)[number]) => {
                    const i = c.indicators.find((x) => x.indicator === name);
                    return i ? (i.target == null ? figure(i, i.actual) : `${figure(i, i.actual)} / ${figure(i, i.target)}`) : "";
                  },
                })),
              ]}
            />
          )}
        </>
      )}
    </Card>
  );
}

