import { useState } from "react";
import { App, Button, Card, DatePicker, Drawer, Form, Input, InputNumber, Progress, Space, Table, Tag, Typography, Upload } from "antd";
import { DownloadOutlined, PlusOutlined, UploadOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Dayjs } from "dayjs";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { getSession } from "../auth/session";
import { useI18n } from "../i18n";
import { download, fetchText, uploadForm } from "../api/files";
import { formatDate, formatDateTime } from "../lib/format";
import { problemMessage } from "../lib/problem";
import { keys } from "../api/keys";
import { ProductPicker } from "../registry/pickers";

type Batch = components["schemas"]["Batch"];

/** The first codes of a batch, read from its code list, with links to their public pages. */
function FirstCodes({ batchId, issued }: { batchId: string; issued: number }) {
  const codes = useQuery({
    queryKey: keys.batchCodes.detail(batchId, issued),
    enabled: issued > 0,
    queryFn: async () => {
      const text = await fetchText(`/api/v1/batches/${batchId}/stamps?from=1&to=10`);
      return text
        .split("\n")
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split(","))
        .map(([serial, code, printed, , status]) => ({ serial: Number(serial), code: code ?? "", printed: printed ?? "", status: status ?? "" }));
    },
  });
  return (
    <Table
      size="small"
      rowKey="code"
      pagination={false}
      dataSource={codes.data ?? []}
      data-testid="stamp-codes"
      columns={[
        { title: "#", dataIndex: "serial", width: 60 },
        { title: "Mã tem", render: (_, c) => (c.status === "voided" ? <Typography.Text delete>{c.printed}</Typography.Text> : <a href={`/t/${c.code}`}>{c.printed}</a>) },
      ]}
    />
  );
}

function BatchDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [count, setCount] = useState<number | null>(100);
  const batch = useQuery({
    queryKey: keys.batch.detail(id),
    queryFn: async () => unwrap(await api.GET("/api/v1/batches/{id}", { params: { path: { id } } })),
    // While a job runs, its progress is polled.
    refetchInterval: (q) => (q.state.data?.jobs.some((j) => j.status === "running") ? 500 : false),
  });
  const issue = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/v1/batches/{id}/stamps", { params: { path: { id } }, body: { count: count ?? 0 } })),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.batch.detail(id) }),
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const keeps = ["producer", "admin"].includes(getSession()?.user.role ?? "");
  const attach = useMutation({
    mutationFn: async ({ test, file }: { test: string; file: File }) => uploadForm(`/api/v1/batches/${id}/lab-tests/${test}/report`, file, {}, "PUT"),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.batch.detail(id) }),
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const b = batch.data;
  const save = (format: string) => download(`/api/v1/batches/${id}/stamps?format=${format}`, `tem.${format}`).catch((e) => message.error(problemMessage(e, lang)));
  return (
    <Drawer open width={640} onClose={onClose} title={b ? `${t("batches.batch")} ${b.code}` : ""}>
      {b && (
        <>
          <Typography.Paragraph>
            {t("batches.produced")}: {formatDate(b.produced_on)} · {t("batches.expires")}: {formatDate(b.expires_on)} · {b.quantity} {b.unit} · {b.standard}
          </Typography.Paragraph>
          {b.lab_tests.map((l) => (
            <Typography.Paragraph key={l.id} data-testid="lab-test">
              <Tag color={l.passed ? "green" : "red"}>{l.passed ? t("batches.passed") : t("batches.failed")}</Tag> {l.laboratory}, {formatDate(l.tested_on)}: {l.summary}{" "}
              {l.report && (
                <Button size="small" type="link" icon={<DownloadOutlined />} onClick={() => download(`/api/v1/batches/${id}/lab-tests/${l.id}/report`, l.report?.file_name).catch((e) => message.error(problemMessage(e, lang)))}>
                  {t("batches.report")}: {l.report.file_name}
                </Button>
              )}
              {keeps && (
                <Upload accept="application/pdf,image/*" showUploadList={false} customRequest={({ file }) => attach.mutate({ test: l.id, file: file as File })}>
                  <Button size="small" icon={<UploadOutlined />} loading={attach.isPending}>{t("batches.attachReport")}</Button>
                </Upload>
              )}
            </Typography.Paragraph>
          ))}
          <Card size="small" title={t("batches.stamps")} style={{ marginTop: 12 }}>
            <Space wrap>
              <InputNumber min={1} max={1_000_000} value={count} onChange={setCount} aria-label={t("batches.count")} />
              <Button type="primary" onClick={() => issue.mutate()} loading={issue.isPending}>
                {t("batches.issue")}
              </Button>
              <Button icon={<DownloadOutlined />} onClick={() => save("csv")}>CSV</Button>
              <Button icon={<DownloadOutlined />} onClick={() => save("pdf")}>PDF</Button>
            </Space>
            {b.jobs.map((j) => (
              <div key={j.id} data-testid="stamp-job">
                <Progress percent={Math.round((j.issued / j.requested) * 100)} format={() => `${j.issued.toLocaleString("vi-VN")} / ${j.requested.toLocaleString("vi-VN")}`} />
                <Typography.Text type="secondary">
                  {formatDateTime(j.created_at)} · #{j.first_serial}–{j.last_serial} · {t(`job.${j.status}` as "job.done")}
                </Typography.Text>
              </div>
            ))}
            <Typography.Paragraph style={{ marginTop: 8 }}>
              {t("batches.issued")}: {b.stamps.toLocaleString("vi-VN")} · {t("batches.voided")}: {b.voided.toLocaleString("vi-VN")}
            </Typography.Paragraph>
            <FirstCodes batchId={b.id} issued={b.stamps} />
          </Card>
        </>
      )}
    </Drawer>
  );
}

/** Batch records and their stamps; scan statistics and counterfeit alerts. */
export function BatchesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const canKeep = ["admin", "producer"].includes(getSession()?.user.role ?? "");
  const batches = useQuery({ queryKey: keys.batches.all, queryFn: async () => unwrap(await api.GET("/api/v1/batches", { params: { query: { limit: 100 } } })) });
  const stats = useQuery({ queryKey: keys.scanStats.all, queryFn: async () => unwrap(await api.GET("/api/v1/scans/stats")) });
  const create = useMutation({
    mutationFn: async (v: { product_id: string; code: string; produced_on: Dayjs; expires_on?: Dayjs; quantity: number; unit: string; standard: string; laboratory?: string; lab_summary?: string; material?: string; supplier?: string }) =>
      unwrap(
        await api.POST("/api/v1/batches", {
          body: {
            product_id: v.product_id,
            code: v.code,
            produced_on: v.produced_on.format("YYYY-MM-DD"),
            expires_on: v.expires_on?.format("YYYY-MM-DD"),
            quantity: v.quantity,
            unit: v.unit,
            standard: v.standard,
            inputs: v.material && v.supplier ? [{ material: v.material, supplier: v.supplier, unit: "" }] : [],
            lab_tests: v.laboratory && v.lab_summary ? [{ laboratory: v.laboratory, tested_on: v.produced_on.format("YYYY-MM-DD"), passed: true, summary: v.lab_summary }] : [],
          },
        }),
      ),
    onSuccess: (b) => {
      setCreating(false);
      form.resetFields();
      setOpen(b.id);
      return client.invalidateQueries({ queryKey: keys.batches.all });
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  return (
    <>
      <Card
        title={t("batches.title")}
        extra={
          canKeep && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t("batches.new")}
            </Button>
          )
        }
      >
        <Table<Batch>
          rowKey="id"
          size="small"
          loading={batches.isLoading}
          dataSource={batches.data?.items ?? []}
          onRow={(b) => ({ onClick: () => setOpen(b.id), style: { cursor: "pointer" } })}
          columns={[
            { title: t("batches.code"), dataIndex: "code" },
            { title: t("batches.produced"), dataIndex: "produced_on", render: formatDate },
            { title: t("batches.expires"), dataIndex: "expires_on", render: formatDate },
            { title: t("batches.issued"), dataIndex: "stamps", align: "right" },
          ]}
        />
      </Card>
      <Card title={t("batches.alerts")} style={{ marginTop: 16 }} extra={stats.data && `${t("batches.scans")}: ${stats.data.total}`}>
        <Table
          size="small"
          rowKey="code"
          pagination={false}
          dataSource={stats.data?.alerts ?? []}
          columns={[
            { title: "Mã tem", dataIndex: "code", render: (c: string) => <a href={`/t/${c}`}>{c}</a> },
            { title: t("batches.scans"), dataIndex: "scans", align: "right" },
            { title: t("batches.signals"), dataIndex: "signals", render: (s: string[]) => s.map((x) => <Tag color="red" key={x}>{t(`signal.${x}` as "signal.too_many_scans")}</Tag>) },
            { title: t("batches.lastScan"), dataIndex: "last_scan", render: (v: string) => formatDateTime(v) },
          ]}
        />
      </Card>
      {open && <BatchDrawer id={open} onClose={() => setOpen(null)} />}
      <Drawer open={creating} width={520} title={t("batches.new")} onClose={() => setCreating(false)} extra={<Button type="primary" onClick={() => form.submit()} loading={create.isPending}>{t("save")}</Button>}>
        <Form form={form} layout="vertical" initialValues={{ unit: "hộp", quantity: 100 }} onFinish={(v) => create.mutate(v)}>
          <Form.Item name="product_id" label={t("batches.product")} rules={[{ required: true }]}>
            <ProductPicker />
          </Form.Item>
          <Form.Item name="code" label={t("batches.code")} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Space>
            <Form.Item name="produced_on" label={t("batches.produced")} rules={[{ required: true }]}>
              <DatePicker format="DD/MM/YYYY" />
            </Form.Item>
            <Form.Item name="expires_on" label={t("batches.expires")}>
              <DatePicker format="DD/MM/YYYY" />
            </Form.Item>
          </Space>
          <Space>
            <Form.Item name="quantity" label={t("batches.quantity")} rules={[{ required: true }]}>
              <InputNumber min={0} />
            </Form.Item>
            <Form.Item name="unit" label={t("batches.unit")} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
          </Space>
          <Form.Item name="standard" label={t("batches.standard")} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="material" label={t("batches.material")}>
            <Input />
          </Form.Item>
          <Form.Item name="supplier" label={t("batches.supplier")}>
            <Input />
          </Form.Item>
          <Form.Item name="laboratory" label={t("batches.laboratory")}>
            <Input />
          </Form.Item>
          <Form.Item name="lab_summary" label={t("batches.labSummary")}>
            <Input />
          </Form.Item>
        </Form>
      </Drawer>
    </>
  );
}
