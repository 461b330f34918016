import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { App, Button, Card, Descriptions, Space, Table, Typography, Upload } from "antd";
import { UploadOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n";
import { uploadForm } from "../api/files";
import { formatDate, formatVnd } from "../lib/format";
import { problemMessage } from "../lib/problem";
import { CycleSelect, StatusTag } from "./components";
import { CertificateStatusTag, LevelTag, Stars } from "../scoring/components";
import { ProductForm } from "./ProductsPage";
import { keys } from "../api/keys";

export function ProductPage() {
  const { id = "" } = useParams();
  const { t, tk, lang } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [cycle, setCycle] = useState<string | undefined>();
  const product = useQuery({ queryKey: keys.products.detail(id), queryFn: async () => unwrap(await api.GET("/api/v1/products/{id}", { params: { path: { id } } })) });
  const applications = useQuery({
    queryKey: keys.applications.part("product", id),
    queryFn: async () => unwrap(await api.GET("/api/v1/applications", { params: { query: { product_id: id, limit: 50 } } })),
  });
  const evaluations = useQuery({
    queryKey: keys.products.part("evaluations", id),
    queryFn: async () => unwrap(await api.GET("/api/v1/products/{id}/evaluations", { params: { path: { id } } })),
  });
  const certificates = useQuery({
    queryKey: keys.certificates.part("product", id),
    queryFn: async () => unwrap(await api.GET("/api/v1/certificates", { params: { query: { product_id: id, limit: 50 } } })),
  });
  const register = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/v1/applications", { body: { cycle_id: cycle ?? "", product_id: id } })),
    onSuccess: (app) => {
      message.success(t("app.registered"));
      queryClient.invalidateQueries({ queryKey: keys.applications.all });
      navigate(`/applications/${app.id}`);
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const photoSaved = () => queryClient.invalidateQueries({ queryKey: keys.products.detail(id) });
  const photo = useMutation({
    mutationFn: (file: File) => uploadForm(`/api/v1/products/${id}/photo`, file, {}, "PUT"),
    onSuccess: photoSaved,
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const removePhoto = useMutation({
    mutationFn: async () => unwrap(await api.DELETE("/api/v1/products/{id}/photo", { params: { path: { id } } })),
    onSuccess: photoSaved,
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const p = product.data;
  if (!p) return product.error ? <Typography.Text type="danger">{problemMessage(product.error, lang)}</Typography.Text> : null;
  const canManage = session?.user.role !== "council_member";
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Space>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {p.name}
          </Typography.Title>
          {p.star && <Stars star={p.star} />}
          {p.star != null && p.star >= 3 && <Link to={`/catalog/${p.id}`}>{t("product.publicPage")}</Link>}
        </Space>
        {canManage && <Button onClick={() => setEditing(true)}>{t("edit")}</Button>}
      </Space>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t("product.code")}>{p.code}</Descriptions.Item>
        <Descriptions.Item label={t("product.classification")}>{p.classification ? `${p.classification.code} ${p.classification.name}` : ""}</Descriptions.Item>
        <Descriptions.Item label={t("product.subject")}>{p.subject?.name}</Descriptions.Item>
        <Descriptions.Item label={t("product.commune")}>{p.commune?.name}</Descriptions.Item>
        <Descriptions.Item label={t("product.unit")}>{p.unit}</Descriptions.Item>
        <Descriptions.Item label={t("product.price")}>{p.price_vnd == null ? "" : formatVnd(p.price_vnd)}</Descriptions.Item>
        <Descriptions.Item label={t("product.gtin")}>{p.gtin}</Descriptions.Item>
        <Descriptions.Item label={t("product.status")}>{tk("pstatus", p.status)}</Descriptions.Item>
        <Descriptions.Item label={t("product.description")} span={2}>{p.description}</Descriptions.Item>
        <Descriptions.Item label={t("product.photo")} span={2}>
          <Space align="start" wrap>
            {p.photo_url ? (
              // The address is the public one; the same server answers it here.
              <img data-testid="product-photo" src={p.photo_url.slice(p.photo_url.indexOf("/api/"))} alt={p.name} style={{ maxWidth: 240, maxHeight: 180, objectFit: "cover", borderRadius: 6 }} />
            ) : (
              <Typography.Text type="secondary">{t("product.photoNone")}</Typography.Text>
            )}
            {canManage && (
              <Space direction="vertical">
                <Upload accept="image/jpeg,image/png,image/webp" showUploadList={false} customRequest={({ file }) => photo.mutate(file as File)}>
                  <Button icon={<UploadOutlined />} loading={photo.isPending}>{t("product.photoUpload")}</Button>
                </Upload>
                {p.photo_url && <Button danger onClick={() => removePhoto.mutate()}>{t("product.photoRemove")}</Button>}
              </Space>
            )}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t("product.story")} span={2}>
          <Typography.Paragraph style={{ whiteSpace: "pre-wrap", margin: 0 }}>{p.story}</Typography.Paragraph>
        </Descriptions.Item>
      </Descriptions>
      <Card title={t("product.stars")} style={{ marginTop: 16 }} data-testid="star-history">
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={certificates.data?.items}
          locale={{ emptyText: t("cert.none") }}
          columns={[
            { title: t("cert.number"), dataIndex: "number", render: (n: string, c) => <Link to={`/certificates/${c.id}`}>{n}</Link> },
            { title: t("cert.star"), dataIndex: "star", render: (s: number) => <Stars star={s} /> },
            { title: t("cert.score"), dataIndex: "score", render: (s: number) => s.toFixed(2) },
            { title: t("cert.decision"), render: (_, c) => `${c.decision_number} (${formatDate(c.decision_date)})` },
            { title: t("cert.validUntil"), dataIndex: "valid_until", render: (d: string) => <span data-testid="cert-valid-until">{formatDate(d)}</span> },
            { title: t("cert.status"), render: (_, c) => <CertificateStatusTag status={c.status} daysLeft={c.days_left} expiringSoon={c.expiring_soon} /> },
          ]}
        />
        <Table
          rowKey="item_id"
          size="small"
          pagination={false}
          style={{ marginTop: 12 }}
          dataSource={evaluations.data}
          locale={{ emptyText: t("product.noEvaluations") }}
          columns={[
            { title: t("council.heldOn"), dataIndex: "held_on", render: (d?: string | null) => formatDate(d) },
            { title: t("council.name"), dataIndex: "council_name" },
            { title: t("council.level"), dataIndex: "level", render: (l: string) => <LevelTag level={l} /> },
            { title: t("session.average"), dataIndex: "average", render: (a?: number | null) => a?.toFixed(2) },
            { title: t("session.star"), dataIndex: "star", render: (s?: number | null) => <Stars star={s} /> },
            { title: "", dataIndex: "forwarded_to", render: (f?: string | null) => f && `${t("session.forwardedTo")} ${tk("clevel", f)}` },
          ]}
        />
      </Card>
      <Card title={t("product.applications")} style={{ marginTop: 16 }}
        extra={canManage && (
          <Space>
            <CycleSelect value={cycle} onChange={setCycle} />
            <Button type="primary" loading={register.isPending} disabled={!cycle} onClick={() => register.mutate()}>
              {t("product.register")}
            </Button>
          </Space>
        )}
      >
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          loading={applications.isFetching}
          dataSource={applications.data?.items}
          locale={{ emptyText: t("cycle.noApplications") }}
          columns={[
            { title: t("app.version"), dataIndex: "dossier_version" },
            { title: t("product.status"), dataIndex: "status", render: (s: string) => <StatusTag status={s} /> },
            { title: t("cycle.deadline"), dataIndex: "deadline", render: (d?: string | null) => formatDate(d) },
            { title: "", render: (_, a) => <Link to={`/applications/${a.id}`}>{t("mine.open")}</Link> },
          ]}
        />
      </Card>
      {editing && <ProductForm product={p} onClose={() => { setEditing(false); queryClient.invalidateQueries({ queryKey: keys.products.detail(id) }); }} />}
    </>
  );
}
