import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { Alert, App, Button, Card, Descriptions, Space, Table, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { problemMessage } from "../lib/problem";
import { CycleSelect, StatusTag } from "./components";
import { ProductForm } from "./ProductsPage";
import { SubjectForm } from "./SubjectsPage";
import { keys } from "../api/keys";

/** The producer's portal: their subject, their products, and each product's dossier this cycle. */
export function MinePage() {
  const session = useSession();
  const { t, tk, lang } = useI18n();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [cycle, setCycle] = useState<string | undefined>();
  const [editingSubject, setEditingSubject] = useState(false);
  const [addingProduct, setAddingProduct] = useState(false);
  const subjectId = session?.user.subject_id ?? undefined;
  const subject = useQuery({
    queryKey: keys.subjects.detail(subjectId),
    enabled: !!subjectId,
    queryFn: async () => unwrap(await api.GET("/api/v1/subjects/{id}", { params: { path: { id: subjectId ?? "" } } })),
  });
  const products = useQuery({
    queryKey: keys.products.part("mine", subjectId),
    enabled: !!subjectId,
    queryFn: async () => unwrap(await api.GET("/api/v1/products", { params: { query: { subject_id: subjectId, limit: 200, sort: "code" } } })).items,
  });
  const applications = useQuery({
    queryKey: keys.applications.part("mine", subjectId, cycle),
    enabled: !!subjectId && !!cycle,
    queryFn: async () => unwrap(await api.GET("/api/v1/applications", { params: { query: { subject_id: subjectId, cycle_id: cycle, limit: 200 } } })).items,
  });
  const register = useMutation({
    mutationFn: async (productId: string) => unwrap(await api.POST("/api/v1/applications", { body: { cycle_id: cycle ?? "", product_id: productId } })),
    onSuccess: (app) => {
      message.success(t("app.registered"));
      queryClient.invalidateQueries({ queryKey: keys.applications.all });
      navigate(`/applications/${app.id}`);
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  if (!subjectId) return <Alert type="info" showIcon message={t("mine.noSubject")} />;
  const s = subject.data;
  const byProduct = new Map((applications.data ?? []).map((a) => [a.product?.id, a]));
  return (
    <>
      <Typography.Title level={3}>{t("nav.mine")}</Typography.Title>
      <Card title={t("mine.subject")} extra={s && <Button onClick={() => setEditingSubject(true)}>{t("edit")}</Button>}>
        {s && (
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t("subject.name")}>{s.name}</Descriptions.Item>
            <Descriptions.Item label={t("subject.legalForm")}>{tk("legal", s.legal_form)}</Descriptions.Item>
            <Descriptions.Item label={t("subject.taxCode")}>{s.tax_code}</Descriptions.Item>
            <Descriptions.Item label={t("subject.representative")}>{s.representative}</Descriptions.Item>
            <Descriptions.Item label={t("subject.phone")}>{s.phone}</Descriptions.Item>
            <Descriptions.Item label={t("subject.commune")}>{s.commune?.name}</Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      <Card
        title={t("mine.products")}
        style={{ marginTop: 16 }}
        extra={
          <Space wrap>
            <Typography.Text type="secondary">{t("mine.currentCycle")}:</Typography.Text>
            <CycleSelect value={cycle} onChange={setCycle} />
            <Button icon={<PlusOutlined />} onClick={() => setAddingProduct(true)}>
              {t("product.create")}
            </Button>
          </Space>
        }
      >
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          loading={products.isFetching}
          dataSource={products.data}
          columns={[
            { title: t("product.code"), dataIndex: "code", render: (code: string, p) => <Link to={`/products/${p.id}`}>{code}</Link> },
            { title: t("product.name"), dataIndex: "name" },
            {
              title: t("product.status"),
              render: (_, p) => {
                const app = byProduct.get(p.id);
                return app ? <StatusTag status={app.status} /> : <Typography.Text type="secondary">{t("mine.notRegistered")}</Typography.Text>;
              },
            },
            { title: t("cycle.deadline"), render: (_, p) => formatDate(byProduct.get(p.id)?.deadline) },
            {
              title: t("actions"),
              render: (_, p) => {
                const app = byProduct.get(p.id);
                return app ? (
                  <Link to={`/applications/${app.id}`}>{t("mine.open")}</Link>
                ) : (
                  <Button size="small" type="primary" disabled={!cycle} loading={register.isPending} onClick={() => register.mutate(p.id)}>
                    {t("product.register")}
                  </Button>
                );
              },
            },
          ]}
        />
      </Card>
      {editingSubject && s && <SubjectForm subject={s} onClose={() => setEditingSubject(false)} />}
      {addingProduct && <ProductForm subjectId={subjectId} onClose={() => setAddingProduct(false)} />}
    </>
  );
}
