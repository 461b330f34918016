// Shared pieces of the scoring pages: stars, levels, certificate status, issuing a certificate.
import { useState } from "react";
import { App, Button, DatePicker, Form, Input, Modal, Tag } from "antd";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { problemMessage } from "../lib/problem";

/** `4` → ★★★★ (with the number for screen readers and tests). */
export function Stars({ star }: { star?: number | null }) {
  const { t } = useI18n();
  if (star == null) return <Tag>{t("session.notRanked")}</Tag>;
  return (
    <Tag color={star >= 3 ? "gold" : "default"} aria-label={`${star} sao`} data-testid="stars">
      {"★".repeat(star)} {star} sao
    </Tag>
  );
}

export function LevelTag({ level }: { level: string }) {
  const { tk } = useI18n();
  return <Tag color="blue">{tk("clevel", level)}</Tag>;
}

const CERT_COLOR: Record<string, string> = { active: "green", expired: "default", revoked: "red", superseded: "purple" };

export function CertificateStatusTag({ status, daysLeft, expiringSoon }: { status: string; daysLeft?: number; expiringSoon?: boolean }) {
  const { t, tk } = useI18n();
  return (
    <>
      <Tag color={CERT_COLOR[status]}>{tk("cstatus", status)}</Tag>
      {expiringSoon && daysLeft != null && <Tag color="orange">{t("cert.expiresIn").replace("{n}", String(daysLeft))}</Tag>}
    </>
  );
}

interface IssueForm {
  decision_number: string;
  decision_date: dayjs.Dayjs;
  issuing_body: string;
}

/** Issues the certificate of a finalized, ranked result (admins, province officers). */
export function IssueCertificateButton({ itemId, onIssued }: { itemId: string; onIssued?: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<IssueForm>();
  const issue = useMutation({
    mutationFn: async (v: IssueForm) =>
      unwrap(
        await api.POST("/api/v1/certificates", {
          body: { item_id: itemId, decision_number: v.decision_number, decision_date: v.decision_date.format("YYYY-MM-DD"), issuing_body: v.issuing_body },
        }),
      ),
    onSuccess: () => {
      message.success(t("cert.issued"));
      setOpen(false);
      queryClient.invalidateQueries();
      onIssued?.();
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t("session.issue")}
      </Button>
      <Modal open={open} title={t("session.issue")} onCancel={() => setOpen(false)} onOk={() => form.submit()} okText={t("save")} confirmLoading={issue.isPending} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v) => issue.mutate(v)} initialValues={{ decision_date: dayjs(), issuing_body: "Ủy ban nhân dân tỉnh Quảng Ninh" }}>
          <Form.Item name="decision_number" label={t("council.decisionNumber")} rules={[{ required: true }]}>
            <Input placeholder="3456/QĐ-UBND" />
          </Form.Item>
          <Form.Item name="decision_date" label={t("council.decisionDate")} rules={[{ required: true }]}>
            <DatePicker format="DD/MM/YYYY" style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="issuing_body" label={t("cert.issuingBody")} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
