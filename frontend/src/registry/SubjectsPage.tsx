import { useState } from "react";
import { App, Button, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, List, Modal, Select, Space, Table, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import dayjs, { type Dayjs } from "dayjs";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { query } from "../api/files";
import { ApiProblem, problemMessage } from "../lib/problem";
import { UnitSelect } from "../components/UnitSelect";
import { ExportButtons, LEGAL_FORMS } from "./components";
import { keys } from "../api/keys";

type Subject = components["schemas"]["Subject"];
type LegalForm = Subject["legal_form"];
const PAGE_SIZE = 20;

export function SubjectsPage() {
  const { t, tk } = useI18n();
  const session = useSession();
  const [q, setQ] = useState("");
  const [form, setForm] = useState<LegalForm | undefined>();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Subject | "new" | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const canCreate = session && session.user.role !== "producer" && session.user.role !== "council_member";
  const list = useQuery({
    queryKey: keys.subjects.list(q, form, page),
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/subjects", { params: { query: { q: q || undefined, legal_form: form, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } } })),
  });
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("nav.subjects")}
        </Typography.Title>
        <Space wrap>
          <ExportButtons path={`/api/v1/subjects/export${query({ q: q || undefined, legal_form: form })}`} />
          {canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>
              {t("subject.create")}
            </Button>
          )}
        </Space>
      </Space>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t("searchHint")} onSearch={(v) => { setQ(v); setPage(1); }} style={{ width: 300 }} />
        <Select allowClear placeholder={t("subject.legalForm")} style={{ width: 220 }} value={form} onChange={(v) => { setForm(v); setPage(1); }} options={LEGAL_FORMS.map((f) => ({ value: f, label: tk("legal", f) }))} />
      </Space>
      <Table<Subject>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={(s) => ({ onClick: () => setSelected(s.id), style: { cursor: "pointer" } })}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total, onChange: setPage, showSizeChanger: false, showTotal: (n) => `${t("total")}: ${n}` }}
        columns={[
          { title: t("subject.taxCode"), dataIndex: "tax_code" },
          { title: t("subject.name"), dataIndex: "name" },
          { title: t("subject.legalForm"), dataIndex: "legal_form", render: (v: string) => tk("legal", v) },
          { title: t("subject.representative"), dataIndex: "representative" },
          { title: t("subject.phone"), dataIndex: "phone" },
          { title: t("subject.commune"), dataIndex: ["commune", "name"] },
        ]}
      />
      <SubjectDrawer id={selected} onClose={() => setSelected(null)} onEdit={(s) => setEditing(s)} />
      {editing && <SubjectForm subject={editing === "new" ? undefined : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function SubjectDrawer({ id, onClose, onEdit }: { id: string | null; onClose: () => void; onEdit: (s: Subject) => void }) {
  const { t, tk, lang } = useI18n();
  const session = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [upgradeForm] = Form.useForm<{ to_form: LegalForm; upgraded_on: Dayjs; note?: string }>();
  const detail = useQuery({
    queryKey: keys.subjects.detail(id),
    enabled: !!id,
    queryFn: async () => unwrap(await api.GET("/api/v1/subjects/{id}", { params: { path: { id: id ?? "" } } })),
  });
  const upgrade = useMutation({
    mutationFn: async (v: { to_form: LegalForm; upgraded_on: Dayjs; note?: string }) =>
      unwrap(await api.POST("/api/v1/subjects/{id}/upgrades", { params: { path: { id: id ?? "" } }, body: { to_form: v.to_form, upgraded_on: v.upgraded_on.format("YYYY-MM-DD"), note: v.note } })),
    onSuccess: () => {
      message.success(t("saved"));
      upgradeForm.resetFields();
      queryClient.invalidateQueries({ queryKey: keys.subjects.all });
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const s = detail.data;
  const role = session?.user.role;
  const isOfficer = role === "admin" || role?.endsWith("_officer");
  const canEdit = isOfficer || role === "producer";
  return (
    <Drawer open={!!id} onClose={onClose} title={s?.name} width={520} extra={s && canEdit && <Button onClick={() => onEdit(s)}>{t("edit")}</Button>}>
      {s && (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t("subject.taxCode")}>{s.tax_code}</Descriptions.Item>
            <Descriptions.Item label={t("subject.legalForm")}>{tk("legal", s.legal_form)}</Descriptions.Item>
            <Descriptions.Item label={t("subject.representative")}>{s.representative}</Descriptions.Item>
            <Descriptions.Item label={t("subject.phone")}>{s.phone}</Descriptions.Item>
            <Descriptions.Item label={t("subject.email")}>{s.email}</Descriptions.Item>
            <Descriptions.Item label={t("subject.address")}>{s.address}</Descriptions.Item>
            <Descriptions.Item label={t("subject.commune")}>{s.commune?.name}</Descriptions.Item>
            <Descriptions.Item label={t("subject.foundedOn")}>{formatDate(s.founded_on)}</Descriptions.Item>
            <Descriptions.Item label={t("subject.members")}>{s.members}</Descriptions.Item>
            <Descriptions.Item label={t("subject.employees")}>{s.employees}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("subject.upgrades")}
          </Typography.Title>
          <List
            size="small"
            locale={{ emptyText: t("subject.noUpgrades") }}
            dataSource={s.upgrades}
            renderItem={(u) => (
              <List.Item>
                {formatDate(u.upgraded_on)}: {tk("legal", u.from_form)} → {tk("legal", u.to_form)} {u.note && <Typography.Text type="secondary">({u.note})</Typography.Text>}
              </List.Item>
            )}
          />
          {isOfficer && (
            <Form form={upgradeForm} layout="inline" onFinish={(v) => upgrade.mutate(v)} style={{ marginTop: 12, rowGap: 8 }}>
              <Form.Item name="to_form" rules={[{ required: true }]}>
                <Select placeholder={t("subject.upgradeTo")} style={{ width: 190 }} options={LEGAL_FORMS.map((f) => ({ value: f, label: tk("legal", f) }))} />
              </Form.Item>
              <Form.Item name="upgraded_on" rules={[{ required: true }]}>
                <DatePicker format="DD/MM/YYYY" placeholder={t("subject.upgradedOn")} />
              </Form.Item>
              <Form.Item name="note">
                <Input placeholder={t("subject.note")} />
              </Form.Item>
              <Button htmlType="submit" loading={upgrade.isPending}>
                {t("subject.upgrade")}
              </Button>
            </Form>
          )}
        </>
      )}
    </Drawer>
  );
}

interface SubjectValues {
  legal_form: LegalForm;
  name: string;
  tax_code: string;
  representative: string;
  phone: string;
  email?: string;
  address: string;
  commune_id: string;
  founded_on?: Dayjs | null;
  members?: number | null;
  employees?: number | null;
}

export function SubjectForm({ subject, onClose }: { subject?: Subject; onClose: () => void }) {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SubjectValues>();
  const save = useMutation({
    mutationFn: async (v: SubjectValues) => {
      const body = { ...v, email: v.email || null, founded_on: v.founded_on ? v.founded_on.format("YYYY-MM-DD") : null };
      if (subject) return unwrap(await api.PUT("/api/v1/subjects/{id}", { params: { path: { id: subject.id } }, body }));
      return unwrap(await api.POST("/api/v1/subjects", { body }));
    },
    onSuccess: () => {
      message.success(subject ? t("saved") : t("created"));
      queryClient.invalidateQueries({ queryKey: keys.subjects.all });
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiProblem) form.setFields(Object.entries(e.fieldErrors(lang)).map(([name, msg]) => ({ name: name as keyof SubjectValues, errors: [msg] })));
      message.error(problemMessage(e, lang));
    },
  });
  return (
    <Modal open title={subject ? t("subject.edit") : t("subject.create")} onCancel={onClose} onOk={() => form.submit()} okText={t("save")} cancelText={t("cancel")} confirmLoading={save.isPending} width={640}>
      <Form
        form={form}
        layout="vertical"
        initialValues={subject ? { ...subject, commune_id: subject.commune?.id, founded_on: subject.founded_on ? dayjs(subject.founded_on) : null } : { legal_form: "cooperative" }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="legal_form" label={t("subject.legalForm")} rules={[{ required: true }]}>
          <Select disabled={!!subject} options={LEGAL_FORMS.map((f) => ({ value: f, label: tk("legal", f) }))} />
        </Form.Item>
        <Form.Item name="name" label={t("subject.name")} rules={[{ required: true, min: 2, max: 300 }]}>
          <Input />
        </Form.Item>
        <Space wrap style={{ width: "100%" }}>
          <Form.Item name="tax_code" label={t("subject.taxCode")} rules={[{ required: true }]}>
            <Input style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="phone" label={t("subject.phone")} rules={[{ required: true }]}>
            <Input style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="email" label={t("subject.email")}>
            <Input style={{ width: 200 }} />
          </Form.Item>
        </Space>
        <Form.Item name="representative" label={t("subject.representative")} rules={[{ required: true, min: 2 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="address" label={t("subject.address")} rules={[{ required: true, min: 2 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="commune_id" label={t("subject.commune")} rules={[{ required: true }]}>
          <UnitSelect level="commune" initialLabel={subject?.commune ? `${subject.commune.name} (${subject.commune.code})` : undefined} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="founded_on" label={t("subject.foundedOn")}>
            <DatePicker format="DD/MM/YYYY" />
          </Form.Item>
          <Form.Item name="members" label={t("subject.members")}>
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item name="employees" label={t("subject.employees")}>
            <InputNumber min={0} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
