import { useState } from "react";
import { Button, Card, Col, DatePicker, Input, Row, Select, Space, Table, Typography } from "antd";
import { LeftOutlined, RightOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Dayjs } from "dayjs";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { keys } from "../api/keys";
import { useI18n } from "../i18n";
import { formatDateTime } from "../lib/format";

type AuditEntry = components["schemas"]["AuditEntry"];
const PAGE_SIZE = 20;
const ENTITY_TYPES = ["admin_unit", "user", "dataset"];

/** A short human label for an audited object: its name or e-mail, before or after. */
function summary(entry: AuditEntry): string {
  const state = (entry.after ?? entry.before ?? {}) as Record<string, unknown>;
  const label = state.name ?? state.display_name ?? state.email ?? state.dataset ?? "";
  const code = state.code ? ` (${String(state.code)})` : "";
  return `${String(label)}${code}`;
}

function Json({ value }: { value: unknown }) {
  return <pre style={{ margin: 0, fontSize: 12, whiteSpace: "pre-wrap", wordBreak: "break-all" }}>{value == null ? "—" : JSON.stringify(value, null, 2)}</pre>;
}

export function AuditPage() {
  const { t, tk } = useI18n();
  const [entityType, setEntityType] = useState<string | undefined>();
  const [action, setAction] = useState("");
  const [from, setFrom] = useState<Dayjs | null>(null);
  // The trail is cursor-paged: cursors[i] opens page i (the first page needs none).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = cursors.length - 1;
  const restart = () => setCursors([undefined]);
  const list = useQuery({
    queryKey: keys.audit.list(entityType, action, from?.toISOString(), cursors[page]),
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/audit", {
          params: {
            query: {
              entity_type: entityType,
              action: action || undefined,
              from: from ? from.startOf("day").toISOString() : undefined,
              limit: PAGE_SIZE,
              cursor: cursors[page],
            },
          },
        }),
      ),
  });
  const next = list.data?.next_cursor ?? undefined;
  return (
    <>
      <Typography.Title level={3}>{t("nav.audit")}</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t("audit.entity")}
          style={{ width: 200 }}
          value={entityType}
          onChange={(v) => {
            setEntityType(v);
            restart();
          }}
          options={ENTITY_TYPES.map((e) => ({ value: e, label: tk("entity", e) }))}
        />
        <Input.Search
          allowClear
          placeholder="admin_unit.create"
          style={{ width: 220 }}
          aria-label={t("audit.action")}
          onSearch={(v) => {
            setAction(v.trim());
            restart();
          }}
        />
        <DatePicker
          placeholder={t("audit.from")}
          format="DD/MM/YYYY"
          value={from}
          onChange={(d) => {
            setFrom(d);
            restart();
          }}
        />
      </Space>
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={false}
        expandable={{
          expandedRowRender: (entry) => (
            <Row gutter={16}>
              <Col span={12}>
                <Card size="small" title={t("audit.before")}>
                  <Json value={entry.before} />
                </Card>
              </Col>
              <Col span={12}>
                <Card size="small" title={t("audit.after")}>
                  <Json value={entry.after} />
                </Card>
              </Col>
            </Row>
          ),
        }}
        columns={[
          { title: t("audit.time"), dataIndex: "occurred_at", render: (v: string) => formatDateTime(v, true), width: 170 },
          { title: t("audit.actor"), dataIndex: "actor_email", render: (v: string | null) => v ?? t("audit.system") },
          { title: t("audit.action"), dataIndex: "action", render: (v: string) => <code>{v}</code> },
          { title: t("audit.entity"), dataIndex: "entity_type", render: (v: string) => tk("entity", v) },
          { title: t("audit.summary"), render: (_, entry) => summary(entry) },
          {
            title: t("audit.requestId"),
            dataIndex: "request_id",
            render: (v: string | null) => (
              <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                {v}
              </Typography.Text>
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 12, width: "100%", justifyContent: "flex-end" }}>
        <Typography.Text type="secondary">
          {t("audit.page")} {page + 1}
        </Typography.Text>
        <Button icon={<LeftOutlined />} disabled={page === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          {t("previous")}
        </Button>
        <Button icon={<RightOutlined />} iconPosition="end" disabled={!next} onClick={() => setCursors((c) => [...c, next])}>
          {t("next")}
        </Button>
      </Space>
    </>
  );
}
