// Small shared pieces of the registry pages: cycle picker, status tags, export buttons.
import { useEffect } from "react";
import { App, Button, Select, Space, Tag } from "antd";
import { DownloadOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useI18n } from "../i18n";
import { download } from "../api/files";
import { problemMessage } from "../lib/problem";
import { keys } from "../api/keys";

export type Cycle = components["schemas"]["Cycle"];
export const LEGAL_FORMS = ["household", "cooperative_group", "cooperative", "enterprise", "joint_stock_company"] as const;
export const STATUSES = [
  "idea_registered",
  "plan_submitted",
  "plan_approved",
  "implementing",
  "submitted_for_evaluation",
  "in_evaluation",
  "forwarded",
  "ranked",
  "certified",
] as const;

export function useCycles() {
  return useQuery({ queryKey: keys.cycles.all, queryFn: async () => unwrap(await api.GET("/api/v1/cycles")) });
}

/** The cycle of the current year, or the newest one. */
export function currentCycle(cycles: Cycle[] | undefined): Cycle | undefined {
  const year = new Date().getFullYear();
  return cycles?.find((c) => c.year === year) ?? cycles?.[0];
}

export function CycleSelect({ value, onChange }: { value?: string; onChange: (id: string) => void }) {
  const { t } = useI18n();
  const cycles = useCycles();
  useEffect(() => {
    const fallback = currentCycle(cycles.data);
    if (!value && fallback) onChange(fallback.id);
  }, [value, cycles.data, onChange]);
  return (
    <Select
      aria-label={t("cycle.cycle")}
      style={{ width: 260 }}
      value={value}
      onChange={onChange}
      loading={cycles.isLoading}
      options={(cycles.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
    />
  );
}

const STATUS_COLOR: Record<string, string> = {
  idea_registered: "blue",
  plan_submitted: "gold",
  plan_approved: "cyan",
  implementing: "purple",
  submitted_for_evaluation: "green",
  in_evaluation: "geekblue",
  forwarded: "magenta",
  ranked: "orange",
  certified: "red",
};

export function StatusTag({ status }: { status: string }) {
  const { tk } = useI18n();
  return <Tag color={STATUS_COLOR[status]}>{tk("status", status)}</Tag>;
}

const REVIEW_COLOR: Record<string, string> = { pending: "default", accepted: "green", needs_fix: "red" };

export function ReviewTag({ review }: { review: string }) {
  const { tk } = useI18n();
  return <Tag color={REVIEW_COLOR[review]}>{tk("review", review)}</Tag>;
}

/** Excel and CSV buttons for a list endpoint's `/export` twin. */
export function ExportButtons({ path }: { path: string }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const run = (format: "xlsx" | "csv") => {
    const joiner = path.includes("?") ? "&" : "?";
    download(`${path}${joiner}format=${format}`).catch((e) => message.error(problemMessage(e, lang)));
  };
  return (
    <Space>
      <Button icon={<DownloadOutlined />} onClick={() => run("xlsx")}>
        {t("export.xlsx")}
      </Button>
      <Button icon={<DownloadOutlined />} onClick={() => run("csv")}>
        {t("export.csv")}
      </Button>
    </Space>
  );
}
