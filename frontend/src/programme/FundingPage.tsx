import { useState } from "react";
import { App, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Statistic, Table } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useI18n } from "../i18n";
import { formatVnd } from "../lib/format";
import { problemMessage } from "../lib/problem";
import { keys } from "../api/keys";

type Line = components["schemas"]["BudgetLine"];
const SOURCES = ["central", "provincial", "integrated", "own", "credit", "sponsor"];
const ACTIVITIES = ["training", "fairs", "sales_points", "subject_support", "other"];

/** Budget lines of the caller's area, with totals against the plan. */
export function FundingPage() {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const lines = useQuery({ queryKey: keys.funding.part("lines"), queryFn: async () => unwrap(await api.GET("/api/v1/funding/lines", { params: { query: { limit: 200 } } })) });
  const summary = useQuery({ queryKey: keys.funding.part("summary"), queryFn: async () => unwrap(await api.GET("/api/v1/funding/summary")) });
  const create = useMutation({
    mutationFn: async (v: components["schemas"]["BudgetLineInput"]) => unwrap(await api.POST("/api/v1/funding/lines", { body: v })),
    onSuccess: () => {
      setOpen(false);
      form.resetFields();
      return client.invalidateQueries({ queryKey: keys.funding.all });
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const s = summary.data;
  return (
    <Card
      title={t("funding.title")}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
          {t("funding.new")}
        </Button>
      }
    >
      {s && (
        <Row gutter={16} style={{ marginBottom: 16 }}>
          <Col span={6}><Statistic title={t("funding.planned")} value={formatVnd(s.total.planned_vnd)} /></Col>
          <Col span={6}><Statistic title={t("funding.disbursed")} value={formatVnd(s.total.disbursed_vnd)} /></Col>
          <Col span={6}><Statistic title={t("funding.rate")} value={s.total.disbursement_rate ?? "—"} suffix={s.total.disbursement_rate == null ? "" : "%"} /></Col>
          <Col span={6}><Statistic title={`${t("funding.state")} / ${t("funding.nonState")}`} value={`${formatVnd(s.state_budget.planned_vnd)} / ${formatVnd(s.non_state.planned_vnd)}`} /></Col>
        </Row>
      )}
      <Table<Line>
        rowKey="id"
        size="small"
        loading={lines.isLoading}
        dataSource={lines.data?.items ?? []}
        columns={[
          { title: t("funding.year"), dataIndex: "year" },
          { title: t("funding.source"), dataIndex: "source", render: (v: string) => tk("source", v) },
          { title: t("funding.activity"), dataIndex: "activity", render: (v: string) => tk("activity", v) },
          { title: t("funding.description"), dataIndex: "description" },
          { title: t("funding.planned"), dataIndex: "planned_vnd", align: "right", render: formatVnd },
          { title: t("funding.allocated"), dataIndex: "allocated_vnd", align: "right", render: formatVnd },
          { title: t("funding.disbursed"), dataIndex: "disbursed_vnd", align: "right", render: formatVnd },
        ]}
      />
      <Modal open={open} title={t("funding.new")} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={create.isPending} okText={t("save")} cancelText={t("cancel")}>
        <Form form={form} layout="vertical" initialValues={{ year: new Date().getFullYear(), source: "provincial", activity: "training", allocated_vnd: 0, disbursed_vnd: 0 }} onFinish={(v) => create.mutate(v)}>
          <Form.Item name="year" label={t("funding.year")} rules={[{ required: true }]}>
            <InputNumber min={2000} max={2100} />
          </Form.Item>
          <Form.Item name="source" label={t("funding.source")}>
            <Select options={SOURCES.map((k) => ({ value: k, label: tk("source", k) }))} />
          </Form.Item>
          <Form.Item name="activity" label={t("funding.activity")}>
            <Select options={ACTIVITIES.map((k) => ({ value: k, label: tk("activity", k) }))} />
          </Form.Item>
          <Form.Item name="description" label={t("funding.description")} rules={[{ required: true, min: 3 }]}>
            <Input />
          </Form.Item>
          {(["planned_vnd", "allocated_vnd", "disbursed_vnd"] as const).map((f) => (
            <Form.Item key={f} name={f} label={`${t(f === "planned_vnd" ? "funding.planned" : f === "allocated_vnd" ? "funding.allocated" : "funding.disbursed")} (₫)`} rules={[{ required: true }]}>
              <InputNumber min={0} step={1_000_000} style={{ width: 240 }} />
            </Form.Item>
          ))}
        </Form>
      </Modal>
    </Card>
  );
}
