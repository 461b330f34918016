import { useState } from "react";
import { App, Button, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useI18n } from "../i18n";
import { formatDateTime } from "../lib/format";
import { problemMessage } from "../lib/problem";
import { UnitSelect } from "../components/UnitSelect";
import { SubjectPicker } from "../registry/pickers";
import { keys } from "../api/keys";

type User = components["schemas"]["User"];
type Role = User["role"];

const ROLES: Role[] = ["admin", "province_officer", "district_officer", "commune_officer", "council_member", "producer"];
const OFFICER_LEVEL: Partial<Record<Role, "province" | "district" | "commune">> = {
  province_officer: "province",
  district_officer: "district",
  commune_officer: "commune",
};
const PAGE_SIZE = 20;

type Editing = { mode: "create" } | { mode: "edit"; user: User } | { mode: "reset"; user: User } | null;

export function UsersPage() {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [q, setQ] = useState("");
  const [role, setRole] = useState<Role | undefined>();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Editing>(null);
  const list = useQuery({
    queryKey: keys.users.list(q, role, page),
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/users", { params: { query: { q: q || undefined, role, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, sort: "email" } } })),
  });
  const toggle = useMutation({
    mutationFn: async (user: User) => unwrap(await api.PATCH("/api/v1/users/{id}", { params: { path: { id: user.id } }, body: { active: !user.active } })),
    onSuccess: () => {
      message.success(t("saved"));
      queryClient.invalidateQueries({ queryKey: keys.users.all });
    },
    onError: (error) => message.error(problemMessage(error, lang)),
  });
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("nav.users")}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ mode: "create" })}>
          {t("users.create")}
        </Button>
      </Space>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t("searchHint")} onSearch={(v) => { setQ(v); setPage(1); }} style={{ width: 280 }} />
        <Select allowClear placeholder={t("users.role")} style={{ width: 220 }} value={role} onChange={(v) => { setRole(v); setPage(1); }} options={ROLES.map((r) => ({ value: r, label: tk("role", r) }))} />
      </Space>
      <Table<User>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total, onChange: setPage, showSizeChanger: false, showTotal: (n) => `${t("total")}: ${n}` }}
        columns={[
          { title: t("users.email"), dataIndex: "email" },
          { title: t("users.name"), dataIndex: "display_name" },
          { title: t("users.role"), dataIndex: "role", render: (r: string) => tk("role", r) },
          { title: t("users.unit"), dataIndex: ["admin_unit", "name"] },
          { title: t("users.active"), dataIndex: "active", render: (a: boolean) => (a ? <Tag color="green">{t("users.active")}</Tag> : <Tag>{t("users.inactive")}</Tag>) },
          { title: t("users.createdAt"), dataIndex: "created_at", render: (v: string) => formatDateTime(v) },
          {
            title: t("actions"),
            render: (_, user) => (
              <Space>
                <Button size="small" onClick={() => setEditing({ mode: "edit", user })}>{t("edit")}</Button>
                <Button size="small" onClick={() => setEditing({ mode: "reset", user })}>{t("users.resetPassword")}</Button>
                <Button size="small" danger={user.active} onClick={() => toggle.mutate(user)}>
                  {user.active ? t("users.deactivate") : t("users.activate")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <UserForm editing={editing} onClose={() => setEditing(null)} />
    </>
  );
}

interface FormValues {
  email: string;
  display_name: string;
  password: string;
  role: Role;
  admin_unit_id?: string | null;
  subject_id?: string | null;
  active?: boolean;
  new_password: string;
}

function UserForm({ editing, onClose }: { editing: Editing; onClose: () => void }) {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const role = Form.useWatch("role", form);
  const save = useMutation({
    mutationFn: async (v: FormValues) => {
      const unit = OFFICER_LEVEL[v.role] ? (v.admin_unit_id ?? null) : null;
      const subject = v.role === "producer" ? (v.subject_id ?? null) : null;
      if (editing?.mode === "edit") {
        return unwrap(await api.PATCH("/api/v1/users/{id}", { params: { path: { id: editing.user.id } }, body: { display_name: v.display_name, role: v.role, admin_unit_id: unit, subject_id: subject, active: v.active } }));
      }
      if (editing?.mode === "reset") {
        return unwrap(await api.POST("/api/v1/users/{id}/password-reset", { params: { path: { id: editing.user.id } }, body: { new_password: v.new_password } }));
      }
      return unwrap(await api.POST("/api/v1/users", { body: { email: v.email, display_name: v.display_name, password: v.password, role: v.role, admin_unit_id: unit, subject_id: subject } }));
    },
    onSuccess: () => {
      message.success(editing?.mode === "reset" ? t("users.passwordReset") : t("saved"));
      queryClient.invalidateQueries({ queryKey: keys.users.all });
      onClose();
    },
    onError: (error) => message.error(problemMessage(error, lang)),
  });
  if (!editing) return null;
  const user = editing.mode === "create" ? undefined : editing.user;
  const title = editing.mode === "create" ? t("users.create") : editing.mode === "edit" ? t("users.edit") : `${t("users.resetPassword")}: ${user?.email}`;
  const level = role ? OFFICER_LEVEL[role] : undefined;
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => form.submit()} okText={t("save")} cancelText={t("cancel")} confirmLoading={save.isPending} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        initialValues={user ? { display_name: user.display_name, role: user.role, admin_unit_id: user.admin_unit?.id, subject_id: user.subject_id, active: user.active } : { role: "commune_officer" }}
        onFinish={(v) => save.mutate(v)}
      >
        {editing.mode === "reset" ? (
          <Form.Item name="new_password" label={t("newPassword")} extra={t("passwordRule")} rules={[{ required: true, min: 10 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        ) : (
          <>
            {editing.mode === "create" && (
              <Form.Item name="email" label={t("users.email")} rules={[{ required: true, type: "email" }]}>
                <Input />
              </Form.Item>
            )}
            <Form.Item name="display_name" label={t("users.name")} rules={[{ required: true, max: 200 }]}>
              <Input />
            </Form.Item>
            {editing.mode === "create" && (
              <Form.Item name="password" label={t("users.password")} extra={t("passwordRule")} rules={[{ required: true, min: 10 }]}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
            )}
            <Form.Item name="role" label={t("users.role")} rules={[{ required: true }]}>
              <Select options={ROLES.map((r) => ({ value: r, label: tk("role", r) }))} />
            </Form.Item>
            {level && (
              <Form.Item name="admin_unit_id" label={t("users.unit")} rules={[{ required: true }]}>
                <UnitSelect level={level} initialLabel={user?.admin_unit ? `${user.admin_unit.name} (${user.admin_unit.code})` : undefined} />
              </Form.Item>
            )}
            {role === "producer" && (
              <Form.Item name="subject_id" label={t("product.subject")}>
                <SubjectPicker />
              </Form.Item>
            )}
            {editing.mode === "edit" && (
              <Form.Item name="active" label={t("users.active")} valuePropName="checked">
                <Switch />
              </Form.Item>
            )}
          </>
        )}
      </Form>
    </Modal>
  );
}
