import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { Alert, App, Button, Card, Col, Input, List, Modal, Progress, Row, Space, Table, Tag, Timeline, Typography, Upload } from "antd";
import { CheckOutlined, DownloadOutlined, ExclamationCircleOutlined, UploadOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useI18n } from "../i18n";
import { useSession } from "../auth/session";
import { formatDate, formatDateTime } from "../lib/format";
import { download, uploadDocument } from "../api/files";
import { problemMessage } from "../lib/problem";
import { ReviewTag, StatusTag } from "../registry/components";
import { keys } from "../api/keys";

type Detail = components["schemas"]["ApplicationDetail"];
type Doc = components["schemas"]["Document"];
type Kind = components["schemas"]["DocumentKind"];
type Action = components["schemas"]["MoveInput"]["action"];

export function ApplicationPage() {
  const { id = "" } = useParams();
  const { t, tk, lang } = useI18n();
  const session = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState("");
  const [fixing, setFixing] = useState<Doc | null>(null);
  const [comment, setComment] = useState("");
  const key = ["applications", "detail", id];
  const detail = useQuery({ queryKey: key, queryFn: async () => unwrap(await api.GET("/api/v1/applications/{id}", { params: { path: { id } } })) });
  const refresh = (data?: Detail) => {
    if (data) queryClient.setQueryData(key, data);
    queryClient.invalidateQueries({ queryKey: keys.applications.all });
    queryClient.invalidateQueries({ queryKey: keys.progress.all });
  };
  const move = useMutation({
    mutationFn: async ({ action, note }: { action: Action; note?: string }) =>
      unwrap(await api.POST("/api/v1/applications/{id}/moves", { params: { path: { id } }, body: { action, note } })),
    onSuccess: (data) => {
      message.success(t("app.moved"));
      setReturning(false);
      setReason("");
      refresh(data);
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const review = useMutation({
    mutationFn: async ({ doc, verdict, note }: { doc: Doc; verdict: "accepted" | "needs_fix"; note?: string }) =>
      unwrap(await api.POST("/api/v1/documents/{id}/review", { params: { path: { id: doc.id } }, body: { review: verdict, comment: note } })),
    onSuccess: () => {
      message.success(t("app.reviewed"));
      setFixing(null);
      setComment("");
      refresh();
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const upload = useMutation({
    mutationFn: async ({ kind, file, replaces }: { kind: Kind; file: File; replaces?: string }) => uploadDocument(id, kind.id, file, replaces),
    onSuccess: () => {
      message.success(t("app.uploaded"));
      refresh();
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const d = detail.data;
  // Council members read the dossiers on their agenda; they do not file.
  const canFile = session?.user.role !== "council_member";
  if (!d) return detail.error ? <Alert type="error" message={problemMessage(detail.error, lang)} /> : null;
  const kindName = (code: string) => {
    const k = d.document_kinds.find((x) => x.code === code);
    return k ? (lang === "vi" ? k.name : k.name_en) : code;
  };
  const current = d.documents.filter((doc) => !doc.superseded_at);
  const rows = [...d.document_kinds].sort((a, b) => Number(a.category !== "required") - Number(b.category !== "required"));
  const uploadButton = (kind: Kind, replaces?: string) => (
    <Upload
      showUploadList={false}
      accept=".pdf,.jpg,.jpeg,.png,.webp,.heic,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods"
      customRequest={({ file }) => upload.mutate({ kind, file: file as File, replaces })}
    >
      <Button size="small" icon={<UploadOutlined />} loading={upload.isPending}>
        {replaces ? t("app.replace") : t("app.upload")}
      </Button>
    </Upload>
  );
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t("app.dossier")}: <Link to={`/products/${d.product?.id}`}>{d.product?.name}</Link>
          </Typography.Title>
          <Space wrap style={{ marginTop: 8 }}>
            <Typography.Text type="secondary">{d.product?.code}</Typography.Text>
            <StatusTag status={d.status} />
            <Tag>{tk("stage", d.stage)}</Tag>
            {d.deadline && (
              <Tag color={d.overdue ? "red" : "default"}>
                {d.overdue ? t("cycle.overdue") : t("cycle.deadline")}: {formatDate(d.deadline)}
              </Tag>
            )}
            <Tag>{t("app.version")} {d.dossier_version}</Tag>
          </Space>
        </div>
        <Space wrap data-testid="moves">
          {d.allowed_moves.map((action) =>
            action === "return" ? (
              <Button key={action} danger onClick={() => setReturning(true)}>
                {tk("action", action)}
              </Button>
            ) : (
              <Button key={action} type="primary" loading={move.isPending} onClick={() => move.mutate({ action: action as Action })}>
                {tk("action", action)}
              </Button>
            ),
          )}
        </Space>
      </Space>
      {d.returned_reason && <Alert style={{ marginTop: 16 }} type="warning" showIcon message={t("app.returned")} description={d.returned_reason} />}

      <Row gutter={16} style={{ marginTop: 16 }}>
        {d.completeness.map((c) => {
          const required = c.required.length;
          const percent = required ? Math.round((c.accepted.length / required) * 100) : 100;
          return (
            <Col xs={24} md={8} key={c.stage}>
              <Card size="small" title={tk("stage", c.stage)} data-testid={`completeness-${c.stage}`}>
                <Progress percent={percent} success={{ percent: Math.round(((c.accepted.length + c.pending.length) / Math.max(required, 1)) * 100) }} size="small" />
                <Space wrap>
                  {c.complete ? <Tag color="green">{t("app.complete")}</Tag> : c.filed ? <Tag color="blue">{t("app.filed")}</Tag> : null}
                </Space>
                <List
                  size="small"
                  dataSource={[
                    ...c.missing.map((code) => ({ code, label: t("app.missing"), color: "red" })),
                    ...c.needs_fix.map((code) => ({ code, label: tk("review", "needs_fix"), color: "orange" })),
                    ...c.pending.map((code) => ({ code, label: tk("review", "pending"), color: "default" })),
                  ]}
                  renderItem={(item) => (
                    <List.Item>
                      <Tag color={item.color}>{item.label}</Tag> {kindName(item.code)}
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
          );
        })}
      </Row>

      <Card title={t("app.documents")} style={{ marginTop: 16 }}>
        <Table<Kind>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={rows}
          columns={[
            {
              title: t("app.kind"),
              render: (_, k) => (
                <Space direction="vertical" size={0}>
                  <span>{lang === "vi" ? k.name : k.name_en}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {k.category === "required" ? `${t("app.required")} — ${tk("stage", k.required_at ?? "")}` : t("app.evidence")}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t("app.file"),
              render: (_, k) => {
                const docs = current.filter((doc) => doc.kind_id === k.id);
                if (!docs.length) return <Typography.Text type="secondary">{t("app.noFile")}</Typography.Text>;
                return (
                  <Space direction="vertical">
                    {docs.map((doc) => (
                      <Space key={doc.id} wrap>
                        <Button type="link" size="small" icon={<DownloadOutlined />} onClick={() => download(`/api/v1/documents/${doc.id}/file`, doc.file_name).catch((e) => message.error(problemMessage(e, lang)))}>
                          {doc.file_name}
                        </Button>
                        <ReviewTag review={doc.review} />
                        {doc.carried_from_id && <Tag>{t("app.carried")}</Tag>}
                        {doc.review_comment && <Typography.Text type="warning">{doc.review_comment}</Typography.Text>}
                        {d.can_review && doc.review !== "accepted" && (
                          <Button size="small" icon={<CheckOutlined />} onClick={() => review.mutate({ doc, verdict: "accepted" })}>
                            {t("app.accept")}
                          </Button>
                        )}
                        {d.can_review && doc.review !== "needs_fix" && (
                          <Button size="small" danger icon={<ExclamationCircleOutlined />} onClick={() => setFixing(doc)}>
                            {t("app.needsFix")}
                          </Button>
                        )}
                        {canFile && doc.review === "needs_fix" && uploadButton(k, doc.id)}
                      </Space>
                    ))}
                  </Space>
                );
              },
            },
            ...(canFile ? [{ title: t("actions"), width: 140, render: (_: unknown, k: Kind) => uploadButton(k) }] : []),
          ]}
        />
      </Card>

      <Card title={t("app.history")} style={{ marginTop: 16 }}>
        <Timeline
          items={d.history.map((e) => ({
            color: e.action === "return" ? "red" : "blue",
            children: (
              <>
                <Typography.Text strong>{tk("status", e.to_status)}</Typography.Text> — {formatDateTime(e.occurred_at)} {e.actor_name && `· ${e.actor_name}`}
                {e.note && <div><Typography.Text type="secondary">{e.note}</Typography.Text></div>}
              </>
            ),
          }))}
        />
      </Card>

      <Modal open={returning} title={tk("action", "return")} onCancel={() => setReturning(false)} okText={tk("action", "return")} cancelText={t("cancel")} okButtonProps={{ danger: true, disabled: !reason.trim() }} confirmLoading={move.isPending} onOk={() => move.mutate({ action: "return", note: reason })}>
        <Input.TextArea aria-label={t("app.reason")} placeholder={t("app.reason")} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
      <Modal open={!!fixing} title={`${t("app.needsFix")}: ${fixing?.file_name ?? ""}`} onCancel={() => setFixing(null)} okText={t("app.needsFix")} cancelText={t("cancel")} okButtonProps={{ danger: true, disabled: !comment.trim() }} confirmLoading={review.isPending} onOk={() => fixing && review.mutate({ doc: fixing, verdict: "needs_fix", note: comment })}>
        <Input.TextArea aria-label={t("app.comment")} placeholder={t("app.comment")} rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
      </Modal>
    </>
  );
}
