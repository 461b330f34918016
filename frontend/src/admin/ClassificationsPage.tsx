import { useState } from "react";
import { App, Button, Card, Col, Form, Input, Modal, Row, Select, Switch, Table, Tag, Tree, Typography, type TreeDataNode } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useI18n } from "../i18n";
import { problemMessage } from "../lib/problem";
import { keys } from "../api/keys";

type Node = components["schemas"]["ClassificationNode"];
type Kind = components["schemas"]["DocumentKind"];
const STAGES = ["idea_registration", "business_plan", "implementation", "evaluation"] as const;

function tree(nodes: Node[], parent: string | null, lang: string): TreeDataNode[] {
  return nodes
    .filter((n) => (n.parent_id ?? null) === parent)
    .map((n) => ({ key: n.id, title: `${n.code} ${lang === "vi" ? n.name : n.name_en}`, children: tree(nodes, n.id, lang) }));
}

/** Classification versions, their groups and product sets, and dossier document kinds (admins extend them). */
export function ClassificationsPage() {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [version, setVersion] = useState<string | undefined>();
  const [adding, setAdding] = useState<"node" | "kind" | null>(null);
  const [nodeForm] = Form.useForm<{ parent_id?: string; code: string; name: string; name_en: string; is_service?: boolean }>();
  const [kindForm] = Form.useForm<{ code: string; name: string; name_en: string; required_at?: Kind["required_at"]; not_for_services?: boolean }>();
  const versions = useQuery({ queryKey: keys.classifications.part("versions"), queryFn: async () => unwrap(await api.GET("/api/v1/classifications")) });
  const current = version ?? versions.data?.[versions.data.length - 1]?.id;
  const nodes = useQuery({
    queryKey: keys.classifications.part("nodes", current),
    enabled: !!current,
    queryFn: async () => unwrap(await api.GET("/api/v1/classifications/{id}/nodes", { params: { path: { id: current ?? "" } } })),
  });
  const kinds = useQuery({
    queryKey: keys.classifications.part("kinds", current),
    enabled: !!current,
    queryFn: async () => unwrap(await api.GET("/api/v1/classifications/{id}/document-kinds", { params: { path: { id: current ?? "" } } })),
  });
  const done = () => {
    message.success(t("created"));
    setAdding(null);
    queryClient.invalidateQueries({ queryKey: keys.classifications.all });
  };
  const addNode = useMutation({
    mutationFn: async (v: { parent_id?: string; code: string; name: string; name_en: string; is_service?: boolean }) =>
      unwrap(await api.POST("/api/v1/classifications/{id}/nodes", { params: { path: { id: current ?? "" } }, body: { ...v, parent_id: v.parent_id ?? null } })),
    onSuccess: done,
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const addKind = useMutation({
    mutationFn: async (v: { code: string; name: string; name_en: string; required_at?: Kind["required_at"]; not_for_services?: boolean }) =>
      unwrap(await api.POST("/api/v1/classifications/{id}/document-kinds", { params: { path: { id: current ?? "" } }, body: { ...v, required_at: v.required_at ?? undefined } })),
    onSuccess: done,
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const parents = (nodes.data ?? []).filter((n) => n.level !== "product_set");
  return (
    <>
      <Typography.Title level={3}>{t("nav.classifications")}</Typography.Title>
      <Select
        style={{ width: 480, marginBottom: 16 }}
        value={current}
        onChange={setVersion}
        options={(versions.data ?? []).map((v) => ({ value: v.id, label: `${v.name} — ${v.decision}` }))}
      />
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card title={t("classifications.groups")} extra={<Button icon={<PlusOutlined />} onClick={() => setAdding("node")}>{t("create")}</Button>}>
            {nodes.data && <Tree key={current} treeData={tree(nodes.data, null, lang)} defaultExpandAll />}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t("classifications.kinds")} extra={<Button icon={<PlusOutlined />} onClick={() => setAdding("kind")}>{t("create")}</Button>}>
            <Table<Kind>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={kinds.data}
              columns={[
                { title: t("units.code"), dataIndex: "code" },
                { title: t("app.kind"), render: (_, k) => (lang === "vi" ? k.name : k.name_en) },
                { title: t("app.required"), render: (_, k) => (k.required_at ? <Tag color="red">{tk("stage", k.required_at)}</Tag> : <Tag>{t("app.evidence")}</Tag>) },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Modal open={adding === "node"} title={t("classifications.addNode")} onCancel={() => setAdding(null)} onOk={() => nodeForm.submit()} okText={t("save")} cancelText={t("cancel")} confirmLoading={addNode.isPending} destroyOnHidden>
        <Form form={nodeForm} layout="vertical" onFinish={(v) => addNode.mutate(v)} preserve={false}>
          <Form.Item name="parent_id" label={t("units.parent")}>
            <Select allowClear options={parents.map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))} />
          </Form.Item>
          <Form.Item name="code" label={t("units.code")} extra="1.3.6" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t("classifications.nameVi")} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name_en" label={t("classifications.nameEn")} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="is_service" label={t("classifications.service")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={adding === "kind"} title={t("classifications.addKind")} onCancel={() => setAdding(null)} onOk={() => kindForm.submit()} okText={t("save")} cancelText={t("cancel")} confirmLoading={addKind.isPending} destroyOnHidden>
        <Form form={kindForm} layout="vertical" onFinish={(v) => addKind.mutate(v)} preserve={false}>
          <Form.Item name="code" label={t("units.code")} extra="vietgap_certificate" rules={[{ required: true, pattern: /^[a-z0-9_]+$/ }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t("classifications.nameVi")} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name_en" label={t("classifications.nameEn")} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="required_at" label={t("classifications.requiredAt")}>
            <Select allowClear placeholder={t("app.evidence")} options={STAGES.map((s) => ({ value: s, label: tk("stage", s) }))} />
          </Form.Item>
          <Form.Item name="not_for_services" label={t("classifications.notForServices")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
