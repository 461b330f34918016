import { useState } from "react";
import { Link } from "react-router-dom";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { api, unwrap } from "../api/client";
import { sessionFromPair, setSession } from "../auth/session";
import { useI18n } from "../i18n";
import { problemMessage } from "../lib/problem";
import { LanguageSwitch } from "./LanguageSwitch";

interface Values {
  email: string;
  password: string;
}

export function LoginPage() {
  const { t, lang } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const submit = async (values: Values) => {
    setLoading(true);
    setError(null);
    try {
      const pair = unwrap(await api.POST("/api/v1/auth/login", { body: values }));
      setSession(sessionFromPair(pair));
    } catch (e) {
      setError(problemMessage(e, lang));
    } finally {
      setLoading(false);
    }
  };
  return (
    <div style={{ minHeight: "100vh", display: "grid", placeItems: "center", background: "linear-gradient(135deg, #fff8e1, #ffebee)" }}>
      <Card style={{ width: 380 }}>
        <div style={{ display: "flex", justifyContent: "space-between", alignItems: "start" }}>
          <div>
            <Typography.Title level={3} style={{ marginBottom: 0, color: "#b71c1c" }}>
              {t("appName")}
            </Typography.Title>
            <Typography.Text type="secondary">{t("appSubtitle")}</Typography.Text>
          </div>
          <LanguageSwitch />
        </div>
        <Typography.Title level={4}>{t("login.title")}</Typography.Title>
        {error && <Alert type="error" message={error} showIcon style={{ marginBottom: 16 }} role="alert" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="email" label={t("login.email")} rules={[{ required: true, type: "email" }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t("login.password")} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={loading}>
            {t("login.submit")}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
          {t("login.demoHint")}
        </Typography.Paragraph>
        <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
          <Link to="/public/map">{t("login.publicMap")}</Link>
        </Typography.Paragraph>
        <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
          <Link to="/catalog">{t("login.catalog")}</Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
