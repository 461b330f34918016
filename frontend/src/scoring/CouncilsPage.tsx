import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { App, Button, DatePicker, Form, Input, Modal, Select, Space, Table, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { api, unwrap } from "../api/client";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { problemMessage } from "../lib/problem";
import { CycleSelect } from "../registry/components";
import { UnitSelect } from "../components/UnitSelect";
import { LevelTag } from "./components";
import type { components } from "../api/schema";
import { keys } from "../api/keys";

type CreateCouncil = components["schemas"]["CreateCouncil"];
const LEVELS = ["commune_check", "district", "province", "national"] as const;

/** Councils the user sets up or sits on. */
export function CouncilsPage() {
  const { t, lang } = useI18n();
  const session = useSession();
  const [cycle, setCycle] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const councils = useQuery({
    queryKey: keys.councils.detail(cycle),
    enabled: !!cycle,
    queryFn: async () => unwrap(await api.GET("/api/v1/councils", { params: { query: { cycle_id: cycle } } })),
  });
  const role = session?.user.role ?? "";
  const manages = role === "admin" || role.endsWith("_officer");
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("nav.councils")}
        </Typography.Title>
        <Space wrap>
          <CycleSelect value={cycle} onChange={setCycle} />
          {manages && (
            <Button type="primary" onClick={() => setCreating(true)}>
              {t("council.new")}
            </Button>
          )}
        </Space>
      </Space>
      {councils.error && <Typography.Text type="danger">{problemMessage(councils.error, lang)}</Typography.Text>}
      <Table
        rowKey="id"
        loading={councils.isFetching}
        dataSource={councils.data}
        pagination={false}
        locale={{ emptyText: t("council.none") }}
        columns={[
          { title: t("council.name"), dataIndex: "name", render: (name: string, c) => <Link to={`/councils/${c.id}`}>{name}</Link> },
          { title: t("council.level"), dataIndex: "level", render: (l: string) => <LevelTag level={l} /> },
          { title: t("council.area"), render: (_, c) => c.area?.name },
          { title: t("council.decision"), render: (_, c) => `${c.decision_number} (${formatDate(c.decision_date)})` },
        ]}
      />
      {creating && cycle && <CouncilForm cycle={cycle} onClose={() => setCreating(false)} />}
    </>
  );
}

function CouncilForm({ cycle, onClose }: { cycle: string; onClose: () => void }) {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const create = useMutation({
    mutationFn: async (body: CreateCouncil) => unwrap(await api.POST("/api/v1/councils", { body })),
    onSuccess: (c) => {
      message.success(t("created"));
      queryClient.invalidateQueries({ queryKey: keys.councils.all });
      navigate(`/councils/${c.id}`);
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  return (
    <Modal open title={t("council.new")} onCancel={onClose} onOk={() => form.submit()} okText={t("save")} cancelText={t("cancel")} confirmLoading={create.isPending} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ level: "province", decision_date: dayjs() }}
        onFinish={(v) => create.mutate({ ...v, cycle_id: cycle, decision_date: v.decision_date.format("YYYY-MM-DD") })}
      >
        <Form.Item name="name" label={t("council.name")} rules={[{ required: true, min: 3 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="level" label={t("council.level")} rules={[{ required: true }]}>
          <Select options={LEVELS.map((l) => ({ value: l, label: tk("clevel", l) }))} />
        </Form.Item>
        <Form.Item name="area_id" label={t("council.area")} rules={[{ required: true }]}>
          <UnitSelect />
        </Form.Item>
        <Space>
          <Form.Item name="decision_number" label={t("council.decisionNumber")} rules={[{ required: true }]}>
            <Input placeholder="2345/QĐ-UBND" />
          </Form.Item>
          <Form.Item name="decision_date" label={t("council.decisionDate")} rules={[{ required: true }]}>
            <DatePicker format="DD/MM/YYYY" />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
