import { useState } from "react";
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useI18n } from "../i18n";
import { formatDateTime } from "../lib/format";
import { problemMessage } from "../lib/problem";
import { keys } from "../api/keys";

type Partner = components["schemas"]["Partner"];
type ApiKey = components["schemas"]["ApiKey"];
const SCOPES = ["catalog:read", "webhooks:manage"];
const EVENTS = ["product.listed", "product.updated", "product.delisted"];
const KEY_COLORS: Record<string, string> = { active: "green", rotating: "gold", expired: "default", revoked: "red" };
const DELIVERY_COLORS: Record<string, string> = { delivered: "green", pending: "gold", failed: "red" };

/** Admins: partners of the catalog, their API keys (secrets shown once), webhooks and deliveries. */
export function PartnersPage() {
  const { t, tk } = useI18n();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Partner | "new" | null>(null);
  const [selected, setSelected] = useState<Partner | null>(null);
  const list = useQuery({
    queryKey: keys.partners.detail(page),
    placeholderData: keepPreviousData,
    queryFn: async () => unwrap(await api.GET("/api/v1/partners", { params: { query: { limit: 20, offset: (page - 1) * 20 } } })),
  });
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t("nav.partners")}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>{t("partners.create")}</Button>
      </Space>
      <Typography.Paragraph type="secondary">{t("partners.intro")}</Typography.Paragraph>
      <Table<Partner>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
        rowClassName={(p) => (p.id === selected?.id ? "ant-table-row-selected" : "")}
        onRow={(p) => ({ onClick: () => setSelected(p), style: { cursor: "pointer" } })}
        columns={[
          { title: t("partners.name"), dataIndex: "name" },
          { title: t("partners.kind"), dataIndex: "kind", render: (k: string) => tk("partnerKind", k) },
          { title: t("partners.contact"), dataIndex: "contact_email" },
          { title: t("users.active"), dataIndex: "active", render: (a: boolean) => (a ? <Tag color="green">{t("users.active")}</Tag> : <Tag>{t("partners.suspended")}</Tag>) },
          { title: t("actions"), render: (_, p) => <Button size="small" onClick={(e) => { e.stopPropagation(); setEditing(p); }}>{t("edit")}</Button> },
        ]}
      />
      {selected && <PartnerDetail key={selected.id} partner={selected} />}
      {editing && <PartnerForm partner={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function PartnerForm({ partner, onClose }: { partner: Partner | null; onClose: () => void }) {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const save = useMutation({
    mutationFn: async (body: components["schemas"]["PartnerInput"]) =>
      partner
        ? unwrap(await api.PUT("/api/v1/partners/{id}", { params: { path: { id: partner.id } }, body }))
        : unwrap(await api.POST("/api/v1/partners", { body })),
    onSuccess: () => {
      message.success(t("saved"));
      queryClient.invalidateQueries({ queryKey: keys.partners.all });
      onClose();
    },
    onError: (error) => message.error(problemMessage(error, lang)),
  });
  return (
    <Modal open title={partner ? partner.name : t("partners.create")} onCancel={onClose} onOk={() => form.submit()} okText={t("save")} cancelText={t("cancel")} confirmLoading={save.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={partner ?? { kind: "portal", active: true }} onFinish={(v) => save.mutate({ ...v, website: v.website || null })}>
        <Form.Item name="name" label={t("partners.name")} rules={[{ required: true, min: 2 }]}><Input /></Form.Item>
        <Form.Item name="kind" label={t("partners.kind")}>
          <Select options={["portal", "retailer", "other"].map((k) => ({ value: k, label: tk("partnerKind", k) }))} />
        </Form.Item>
        <Form.Item name="contact_email" label={t("partners.contact")} rules={[{ required: true, type: "email" }]}><Input /></Form.Item>
        <Form.Item name="website" label={t("partners.website")} rules={[{ type: "url" }]}><Input /></Form.Item>
        <Form.Item name="active" label={t("users.active")} valuePropName="checked"><Switch /></Form.Item>
      </Form>
    </Modal>
  );
}

/** A secret shown once, to copy now. */
function SecretModal({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const { t } = useI18n();
  // Unmounted once closed: the secret does not linger in the page.
  if (secret === null) return null;
  return (
    <Modal open title={t("partners.secretTitle")} onCancel={onClose} onOk={onClose} cancelButtonProps={{ style: { display: "none" } }} destroyOnHidden>
      <Alert type="warning" showIcon message={t("partners.secretOnce")} style={{ marginBottom: 12 }} />
      <Typography.Paragraph copyable code data-testid="secret">{secret}</Typography.Paragraph>
    </Modal>
  );
}

function PartnerDetail({ partner }: { partner: Partner }) {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string | null>(null);
  const [issuing, setIssuing] = useState(false);
  const [subscribing, setSubscribing] = useState(false);
  const path = { params: { path: { id: partner.id } } };
  const apiKeys = useQuery({ queryKey: keys.partnerKeys.detail(partner.id), queryFn: async () => unwrap(await api.GET("/api/v1/partners/{id}/keys", path)) });
  const hooks = useQuery({ queryKey: keys.partnerHooks.detail(partner.id), queryFn: async () => unwrap(await api.GET("/api/v1/partners/{id}/webhooks", path)) });
  const deliveries = useQuery({
    queryKey: keys.partnerDeliveries.detail(partner.id),
    queryFn: async () => unwrap(await api.GET("/api/v1/partners/{id}/deliveries", { params: { path: { id: partner.id }, query: { limit: 50 } } })),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.partnerKeys.detail(partner.id) });
  const onError = (error: unknown) => message.error(problemMessage(error, lang));
  const rotate = useMutation({
    mutationFn: async (key: ApiKey) => unwrap(await api.POST("/api/v1/api-keys/{id}/rotate", { params: { path: { id: key.id } }, body: { grace_hours: 24 } })),
    onSuccess: (issued) => { setSecret(issued.secret); refresh(); },
    onError,
  });
  const revoke = useMutation({
    mutationFn: async (key: ApiKey) => unwrap(await api.POST("/api/v1/api-keys/{id}/revoke", { params: { path: { id: key.id } } })),
    onSuccess: () => { message.success(t("partners.revoked")); refresh(); },
    onError,
  });
  return (
    <Space direction="vertical" style={{ width: "100%", marginTop: 16 }} size="middle">
      <Card
        size="small"
        title={`${t("partners.keys")} — ${partner.name}`}
        extra={<Button size="small" icon={<PlusOutlined />} onClick={() => setIssuing(true)}>{t("partners.issueKey")}</Button>}
      >
        <Table<ApiKey>
          rowKey="id"
          size="small"
          pagination={false}
          loading={apiKeys.isFetching}
          dataSource={apiKeys.data}
          expandable={{ expandedRowRender: (key) => <KeyUsage id={key.id} /> }}
          columns={[
            { title: t("partners.keyName"), dataIndex: "name" },
            { title: t("partners.prefix"), dataIndex: "prefix", render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
            { title: t("partners.scopes"), dataIndex: "scopes", render: (s: string[]) => s.map((x) => <Tag key={x}>{x}</Tag>) },
            { title: t("partners.rate"), dataIndex: "rate_per_minute" },
            { title: t("partners.status"), dataIndex: "status", render: (s: string) => <Tag color={KEY_COLORS[s]}>{tk("keyStatus", s)}</Tag> },
            { title: t("partners.lastUsed"), dataIndex: "last_used_at", render: (v: string | null) => formatDateTime(v) },
            {
              title: t("actions"),
              render: (_, key) =>
                key.status === "active" && (
                  <Space>
                    <Popconfirm title={t("partners.rotateConfirm")} onConfirm={() => rotate.mutate(key)}><Button size="small">{t("partners.rotate")}</Button></Popconfirm>
                    <Popconfirm title={t("partners.revokeConfirm")} onConfirm={() => revoke.mutate(key)}><Button size="small" danger>{t("partners.revoke")}</Button></Popconfirm>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t("partners.webhooks")} extra={<Button size="small" icon={<PlusOutlined />} onClick={() => setSubscribing(true)}>{t("partners.subscribe")}</Button>}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={hooks.data}
          columns={[
            { title: "URL", dataIndex: "url" },
            { title: t("partners.events"), dataIndex: "events", render: (e: string[]) => e.map((x) => <Tag key={x}>{x}</Tag>) },
            { title: t("users.active"), dataIndex: "active", render: (a: boolean) => (a ? t("yes") : t("no")) },
          ]}
        />
        <Typography.Title level={5} style={{ marginTop: 16 }}>{t("partners.deliveries")}</Typography.Title>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={deliveries.data?.items}
          columns={[
            { title: t("partners.event"), dataIndex: "event_type" },
            { title: t("partners.status"), dataIndex: "status", render: (s: string) => <Tag color={DELIVERY_COLORS[s]}>{tk("deliveryStatus", s)}</Tag> },
            { title: t("partners.attempts"), dataIndex: "attempts" },
            { title: "HTTP", dataIndex: "last_status" },
            { title: t("partners.error"), dataIndex: "last_error" },
            { title: t("partners.createdAt"), dataIndex: "created_at", render: (v: string) => formatDateTime(v) },
          ]}
        />
      </Card>
      {issuing && <IssueKeyForm partner={partner} onClose={() => setIssuing(false)} onIssued={setSecret} />}
      {subscribing && <SubscribeForm partner={partner} onClose={() => setSubscribing(false)} onSubscribed={setSecret} />}
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
    </Space>
  );
}

function KeyUsage({ id }: { id: string }) {
  const { t } = useI18n();
  const usage = useQuery({ queryKey: keys.keyUsage.detail(id), queryFn: async () => unwrap(await api.GET("/api/v1/api-keys/{id}/usage", { params: { path: { id }, query: { days: 30 } } })) });
  if (!usage.data) return null;
  return (
    <Typography.Text>
      {t("partners.usage30")}: {usage.data.requests} ({t("partners.throttled")}: {usage.data.throttled})
    </Typography.Text>
  );
}

function IssueKeyForm({ partner, onClose, onIssued }: { partner: Partner; onClose: () => void; onIssued: (secret: string) => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const issue = useMutation({
    mutationFn: async (body: components["schemas"]["NewKeyInput"]) =>
      unwrap(await api.POST("/api/v1/partners/{id}/keys", { params: { path: { id: partner.id } }, body })),
    onSuccess: (issued) => {
      queryClient.invalidateQueries({ queryKey: keys.partnerKeys.detail(partner.id) });
      onClose();
      onIssued(issued.secret);
    },
    onError: (error) => message.error(problemMessage(error, lang)),
  });
  return (
    <Modal open title={t("partners.issueKey")} onCancel={onClose} onOk={() => form.submit()} okText={t("save")} cancelText={t("cancel")} confirmLoading={issue.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ scopes: ["catalog:read"], rate_per_minute: 600 }} onFinish={(v) => issue.mutate(v)}>
        <Form.Item name="name" label={t("partners.keyName")} rules={[{ required: true, min: 2 }]}><Input /></Form.Item>
        <Form.Item name="scopes" label={t("partners.scopes")} rules={[{ required: true }]}>
          <Select mode="multiple" options={SCOPES.map((s) => ({ value: s, label: s }))} />
        </Form.Item>
        <Form.Item name="rate_per_minute" label={t("partners.rate")}><InputNumber min={1} max={100000} style={{ width: "100%" }} /></Form.Item>
      </Form>
    </Modal>
  );
}

function SubscribeForm({ partner, onClose, onSubscribed }: { partner: Partner; onClose: () => void; onSubscribed: (secret: string) => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const subscribe = useMutation({
    mutationFn: async (body: components["schemas"]["SubscriptionInput"]) =>
      unwrap(await api.POST("/api/v1/partners/{id}/webhooks", { params: { path: { id: partner.id } }, body })),
    onSuccess: (made) => {
      queryClient.invalidateQueries({ queryKey: keys.partnerHooks.detail(partner.id) });
      onClose();
      onSubscribed(made.secret);
    },
    onError: (error) => message.error(problemMessage(error, lang)),
  });
  return (
    <Modal open title={t("partners.subscribe")} onCancel={onClose} onOk={() => form.submit()} okText={t("save")} cancelText={t("cancel")} confirmLoading={subscribe.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ events: EVENTS, active: true }} onFinish={(v) => subscribe.mutate(v)}>
        <Form.Item name="url" label="URL" rules={[{ required: true, type: "url" }]}><Input placeholder="https://" /></Form.Item>
        <Form.Item name="events" label={t("partners.events")} rules={[{ required: true }]}>
          <Select mode="multiple" options={EVENTS.map((e) => ({ value: e, label: e }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
