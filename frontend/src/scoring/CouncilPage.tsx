import { Link, useNavigate, useParams } from "react-router-dom";
import { App, Button, Card, DatePicker, Descriptions, Form, Input, Popconfirm, Select, Table, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { api, unwrap } from "../api/client";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n";
import { formatDate, formatDateTime } from "../lib/format";
import { problemMessage } from "../lib/problem";
import { LevelTag } from "./components";
import { StatusTag } from "../registry/components";
import { keys } from "../api/keys";

const ROLES = ["chair", "vice_chair", "member", "secretary"] as const;

/** A council: its members, its sessions, and the products waiting for it. */
export function CouncilPage() {
  const { id = "" } = useParams();
  const { t, tk, lang } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const council = useQuery({ queryKey: keys.councils.detail(id), queryFn: async () => unwrap(await api.GET("/api/v1/councils/{id}", { params: { path: { id } } })) });
  const queue = useQuery({ queryKey: keys.councils.part("queue", id), queryFn: async () => unwrap(await api.GET("/api/v1/councils/{id}/queue", { params: { path: { id } } })) });
  const isAdmin = session?.user.role === "admin";
  const users = useQuery({
    queryKey: keys.users.part("council-candidates"),
    enabled: isAdmin && !!council.data?.can_manage,
    queryFn: async () => unwrap(await api.GET("/api/v1/users", { params: { query: { limit: 200 } } })),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.councils.all });
  const onError = (e: unknown) => message.error(problemMessage(e, lang));
  const addMember = useMutation({
    mutationFn: async (v: { user_id: string; role: (typeof ROLES)[number]; organisation?: string }) =>
      unwrap(await api.POST("/api/v1/councils/{id}/members", { params: { path: { id } }, body: v })),
    onSuccess: () => { message.success(t("saved")); refresh(); },
    onError,
  });
  const removeMember = useMutation({
    mutationFn: async (memberId: string) => unwrap(await api.DELETE("/api/v1/councils/{id}/members/{member_id}", { params: { path: { id, member_id: memberId } } })),
    onSuccess: refresh,
    onError,
  });
  const newSession = useMutation({
    mutationFn: async (v: { held_on: dayjs.Dayjs; place?: string }) =>
      unwrap(await api.POST("/api/v1/councils/{id}/sessions", { params: { path: { id } }, body: { held_on: v.held_on.format("YYYY-MM-DD"), place: v.place } })),
    onSuccess: (s) => { refresh(); navigate(`/sessions/${s.id}`); },
    onError,
  });
  const [memberForm] = Form.useForm();
  const c = council.data;
  if (!c) return council.error ? <Typography.Text type="danger">{problemMessage(council.error, lang)}</Typography.Text> : null;
  const memberIds = new Set(c.members.map((m) => m.user_id));
  return (
    <>
      <Typography.Title level={3}>{c.name}</Typography.Title>
      <Descriptions bordered size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t("council.level")}><LevelTag level={c.level} /></Descriptions.Item>
        <Descriptions.Item label={t("council.area")}>{c.area?.name}</Descriptions.Item>
        <Descriptions.Item label={t("council.decision")}>{c.decision_number} ({formatDate(c.decision_date)})</Descriptions.Item>
      </Descriptions>
      <Card title={t("council.members")} style={{ marginTop: 16 }}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={c.members}
          columns={[
            { title: t("users.name"), dataIndex: "display_name" },
            { title: "Email", dataIndex: "email" },
            { title: t("council.role"), dataIndex: "role", render: (r: string) => tk("mrole", r) },
            { title: t("council.organisation"), dataIndex: "organisation" },
            ...(c.can_manage
              ? [{ title: "", render: (_: unknown, m: { id: string }) => (
                  <Popconfirm title={t("council.remove")} onConfirm={() => removeMember.mutate(m.id)}>
                    <Button size="small" danger>{t("council.remove")}</Button>
                  </Popconfirm>
                ) }]
              : []),
          ]}
        />
        {c.can_manage && isAdmin && (
          <Form form={memberForm} layout="inline" style={{ marginTop: 12 }} onFinish={(v) => { addMember.mutate(v); memberForm.resetFields(); }} initialValues={{ role: "member" }}>
            <Form.Item name="user_id" rules={[{ required: true }]}>
              <Select
                showSearch
                optionFilterProp="label"
                placeholder={t("council.account")}
                style={{ width: 280 }}
                aria-label={t("council.account")}
                options={(users.data?.items ?? []).filter((u) => u.role !== "producer" && !memberIds.has(u.id)).map((u) => ({ value: u.id, label: `${u.display_name} (${u.email})` }))}
              />
            </Form.Item>
            <Form.Item name="role">
              <Select style={{ width: 150 }} aria-label={t("council.role")} options={ROLES.map((r) => ({ value: r, label: tk("mrole", r) }))} />
            </Form.Item>
            <Form.Item name="organisation">
              <Input placeholder={t("council.organisation")} />
            </Form.Item>
            <Button htmlType="submit" loading={addMember.isPending}>{t("council.addMember")}</Button>
          </Form>
        )}
      </Card>
      <Card title={t("council.sessions")} style={{ marginTop: 16 }}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={c.sessions}
          columns={[
            { title: t("council.heldOn"), dataIndex: "held_on", render: (d: string, s) => <Link to={`/sessions/${s.id}`}>{formatDate(d)}</Link> },
            { title: t("council.place"), dataIndex: "place" },
          ]}
        />
        {c.can_manage && (
          <Form layout="inline" style={{ marginTop: 12 }} initialValues={{ held_on: dayjs() }} onFinish={(v) => newSession.mutate(v)}>
            <Form.Item name="held_on" rules={[{ required: true }]}>
              <DatePicker format="DD/MM/YYYY" aria-label={t("council.heldOn")} />
            </Form.Item>
            <Form.Item name="place">
              <Input placeholder={t("council.place")} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={newSession.isPending}>{t("council.newSession")}</Button>
          </Form>
        )}
      </Card>
      <Card title={t("council.queue")} style={{ marginTop: 16 }}>
        <Table
          rowKey="application_id"
          size="small"
          pagination={false}
          dataSource={queue.data}
          locale={{ emptyText: t("cycle.noApplications") }}
          columns={[
            { title: t("session.product"), render: (_, q) => `${q.product?.name ?? ""} (${q.product?.code ?? ""})` },
            { title: t("product.status"), dataIndex: "status", render: (s: string) => <StatusTag status={s} /> },
            { title: "", dataIndex: "waiting_since", render: (d: string) => formatDateTime(d) },
          ]}
        />
      </Card>
    </>
  );
}
