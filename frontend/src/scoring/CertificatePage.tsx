import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { App, Button, Input, Modal, Space, Typography } from "antd";
import { PrinterOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { problemMessage } from "../lib/problem";
import { CertificateStatusTag } from "./components";
import "./certificate.css";
import { keys } from "../api/keys";

/** A certificate as it is printed (print stylesheet: only the certificate goes on paper). */
export function CertificatePage() {
  const { id = "" } = useParams();
  const { t, tk, lang } = useI18n();
  const session = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [revoking, setRevoking] = useState(false);
  const [reason, setReason] = useState("");
  const cert = useQuery({ queryKey: keys.certificates.detail(id), queryFn: async () => unwrap(await api.GET("/api/v1/certificates/{id}", { params: { path: { id } } })) });
  const revoke = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/v1/certificates/{id}/revoke", { params: { path: { id } }, body: { reason } })),
    onSuccess: () => { setRevoking(false); queryClient.invalidateQueries({ queryKey: keys.certificates.all }); message.success(t("saved")); },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const c = cert.data;
  if (!c) return cert.error ? <Typography.Text type="danger">{problemMessage(cert.error, lang)}</Typography.Text> : null;
  const certifies = session?.user.role === "admin" || session?.user.role === "province_officer";
  return (
    <>
      <Space className="no-print" style={{ marginBottom: 16 }} wrap>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>{t("cert.print")}</Button>
        <CertificateStatusTag status={c.status} daysLeft={c.days_left} expiringSoon={c.expiring_soon} />
        {c.product && <Link to={`/products/${c.product.id}`}>{c.product.name}</Link>}
        {certifies && c.status === "active" && <Button danger onClick={() => setRevoking(true)}>{t("cert.revoke")}</Button>}
      </Space>
      <div className="certificate" data-testid="certificate">
        <div className="certificate-nation">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br />Độc lập - Tự do - Hạnh phúc</div>
        <div className="certificate-body-name">{c.issuing_body}</div>
        <h1>{t("cert.title")}</h1>
        <p>{t("cert.number")}: <b>{c.number}</b></p>
        <p>{t("cert.certifies")}</p>
        <h2>{c.product?.name}</h2>
        <p>{t("cert.of")} <b>{c.subject_name}</b></p>
        <p>{t("cert.achieved")}</p>
        <div className="certificate-stars" aria-label={`${c.star} sao`}>{"★".repeat(c.star)}</div>
        <p>{c.star} sao · {t("cert.score")} {c.score.toFixed(2)} · {tk("clevel", c.level)}</p>
        <p>{t("cert.decision")}: {c.decision_number} ({formatDate(c.decision_date)})</p>
        <p>{t("cert.validFrom")} {formatDate(c.valid_from)} — {t("cert.validUntil").toLowerCase()} <b data-testid="valid-until">{formatDate(c.valid_until)}</b></p>
      </div>
      <Modal open={revoking} title={t("cert.revoke")} onCancel={() => setRevoking(false)} onOk={() => revoke.mutate()} okButtonProps={{ danger: true, disabled: reason.trim().length < 5 }} confirmLoading={revoke.isPending}>
        <Input.TextArea rows={3} placeholder={t("sheet.reason")} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </>
  );
}
