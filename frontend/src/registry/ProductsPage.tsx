import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Table, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n";
import { Stars } from "../scoring/components";
import { formatVnd } from "../lib/format";
import { query } from "../api/files";
import { ApiProblem, problemMessage } from "../lib/problem";
import { ClassificationSelect, GroupSelect } from "./ClassificationSelect";
import { ExportButtons } from "./components";
import { SubjectPicker } from "./pickers";
import { keys } from "../api/keys";

export type Product = components["schemas"]["Product"];
const PAGE_SIZE = 20;

export function ProductsPage() {
  const { t, tk } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const [group, setGroup] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const canCreate = session?.user.role !== "council_member";
  const list = useQuery({
    queryKey: keys.products.list(q, group, page),
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/products", { params: { query: { q: q || undefined, group, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } } })),
  });
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("nav.products")}
        </Typography.Title>
        <Space wrap>
          <ExportButtons path={`/api/v1/products/export${query({ q: q || undefined, group })}`} />
          {canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t("product.create")}
            </Button>
          )}
        </Space>
      </Space>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t("searchHint")} onSearch={(v) => { setQ(v); setPage(1); }} style={{ width: 300 }} aria-label={t("search")} />
        <GroupSelect placeholder={t("product.group")} value={group} onChange={(v) => { setGroup(v); setPage(1); }} />
      </Space>
      <Table<Product>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={(p) => ({ onClick: () => navigate(`/products/${p.id}`), style: { cursor: "pointer" } })}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total, onChange: setPage, showSizeChanger: false, showTotal: (n) => `${t("total")}: ${n}` }}
        columns={[
          { title: t("product.code"), dataIndex: "code", render: (code: string, p) => <Link to={`/products/${p.id}`}>{code}</Link> },
          { title: t("product.name"), dataIndex: "name" },
          { title: t("product.classification"), render: (_, p) => (p.classification ? `${p.classification.code} ${p.classification.name}` : "") },
          { title: t("product.subject"), dataIndex: ["subject", "name"] },
          { title: t("product.commune"), dataIndex: ["commune", "name"] },
          { title: t("product.price"), dataIndex: "price_vnd", align: "right", render: (v?: number | null) => (v == null ? "" : formatVnd(v)) },
          { title: t("product.status"), dataIndex: "status", render: (v: string) => tk("pstatus", v) },
          { title: t("session.star"), dataIndex: "star", render: (v?: number | null) => (v ? <Stars star={v} /> : null) },
        ]}
      />
      {creating && <ProductForm onClose={() => setCreating(false)} />}
    </>
  );
}

interface ProductValues {
  name: string;
  classification_node_id: string;
  subject_id: string;
  unit: string;
  price_vnd?: number | null;
  gtin?: string;
  description?: string;
  story?: string;
  status?: Product["status"];
}

export function ProductForm({ product, subjectId, onClose }: { product?: Product; subjectId?: string; onClose: () => void }) {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ProductValues>();
  const save = useMutation({
    mutationFn: async (v: ProductValues) => {
      const body = { ...v, gtin: v.gtin || null, description: v.description || null, story: v.story || null, price_vnd: v.price_vnd ?? null };
      if (product) return unwrap(await api.PUT("/api/v1/products/{id}", { params: { path: { id: product.id } }, body }));
      return unwrap(await api.POST("/api/v1/products", { body }));
    },
    onSuccess: (saved) => {
      message.success(product ? t("saved") : `${t("created")} ${saved.code}`);
      queryClient.invalidateQueries({ queryKey: keys.products.all });
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiProblem) form.setFields(Object.entries(e.fieldErrors(lang)).map(([name, msg]) => ({ name: name as keyof ProductValues, errors: [msg] })));
      message.error(problemMessage(e, lang));
    },
  });
  const initial = product
    ? { ...product, classification_node_id: product.classification?.id, subject_id: product.subject?.id, gtin: product.gtin ?? undefined }
    : { subject_id: subjectId, unit: "kg" };
  return (
    <Modal open title={product ? t("product.edit") : t("product.create")} onCancel={onClose} onOk={() => form.submit()} okText={t("save")} cancelText={t("cancel")} confirmLoading={save.isPending} width={640}>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t("product.name")} rules={[{ required: true, min: 2, max: 300 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="classification_node_id" label={t("product.classification")} rules={[{ required: true }]}>
          <ClassificationSelect />
        </Form.Item>
        {!product && !subjectId && (
          <Form.Item name="subject_id" label={t("product.subject")} rules={[{ required: true }]}>
            <SubjectPicker />
          </Form.Item>
        )}
        <Space wrap>
          <Form.Item name="unit" label={t("product.unit")} rules={[{ required: true, max: 32 }]}>
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="price_vnd" label={t("product.price")}>
            <InputNumber<number> min={0} step={1000} style={{ width: 200 }} formatter={(v) => `${v ?? ""}`.replace(/\B(?=(\d{3})+(?!\d))/g, ".")} parser={(v) => Number((v ?? "").replace(/\./g, ""))} />
          </Form.Item>
          <Form.Item name="gtin" label={t("product.gtin")}>
            <Input style={{ width: 200 }} />
          </Form.Item>
        </Space>
        {product && (
          <Form.Item name="status" label={t("product.status")}>
            <Select options={(product.status === "certified" ? ["active", "certified", "discontinued"] : ["active", "discontinued"]).map((s) => ({ value: s, label: tk("pstatus", s) }))} />
          </Form.Item>
        )}
        <Form.Item name="description" label={t("product.description")}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="story" label={t("product.story")}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
