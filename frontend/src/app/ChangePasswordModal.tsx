import { App, Form, Input, Modal } from "antd";
import { useMutation } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { sessionFromPair, setSession } from "../auth/session";
import { useI18n } from "../i18n";
import { problemMessage } from "../lib/problem";

interface Values {
  current_password: string;
  new_password: string;
}

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const change = useMutation({
    mutationFn: async (body: Values) => unwrap(await api.POST("/api/v1/auth/password", { body })),
    onSuccess: (pair) => {
      setSession(sessionFromPair(pair));
      message.success(t("passwordChanged"));
      form.resetFields();
      onClose();
    },
    onError: (error) => message.error(problemMessage(error, lang)),
  });
  return (
    <Modal open={open} title={t("changePassword")} onCancel={onClose} onOk={() => form.submit()} okText={t("save")} cancelText={t("cancel")} confirmLoading={change.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => change.mutate(v)}>
        <Form.Item name="current_password" label={t("currentPassword")} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="new_password" label={t("newPassword")} extra={t("passwordRule")} rules={[{ required: true, min: 10 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
