import { Suspense, useState } from "react";
import { Link, Outlet, useLocation, useNavigate } from "react-router-dom";
import { Button, Dropdown, Layout, Menu, Space, Spin, Tag, Typography } from "antd";
import { ApiOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from "@ant-design/icons";
import { useSession } from "../auth/session";
import { signOut } from "../api/client";
import { useI18n } from "../i18n";
import { navigation } from "./routes";
import { ChangePasswordModal } from "./ChangePasswordModal";
import { LanguageSwitch } from "./LanguageSwitch";
import { NotificationBell } from "./NotificationBell";

export function AppLayout() {
  const session = useSession();
  const { t, tk } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const [passwordOpen, setPasswordOpen] = useState(false);
  if (!session) return null;
  const nav = navigation(session.user.role);
  const items = nav.map((n) => ({ key: n.path, icon: n.nav.icon, label: <Link to={n.path}>{t(n.nav.label)}</Link> }));
  // A dossier page belongs to the cycle board in the menu; sessions and sheets to the councils.
  const path = location.pathname.startsWith("/applications/")
    ? "/cycle"
    : /^\/(sessions|session-items)\//.test(location.pathname)
      ? "/councils"
      : location.pathname;
  const selected = nav.filter((n) => n.path !== "/" && path.startsWith(n.path)).map((n) => n.path);
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" width={230}>
        <div style={{ padding: "16px 20px" }}>
          <Typography.Title level={4} style={{ margin: 0, color: "#b71c1c" }}>
            {t("appName")}
          </Typography.Title>
          <Typography.Text type="secondary">{t("appSubtitle")}</Typography.Text>
        </div>
        <Menu mode="inline" selectedKeys={selected.length ? selected : ["/"]} items={items} aria-label="main navigation" />
        <div style={{ padding: "12px 24px" }}>
          <a href="/swagger-ui/" target="_blank" rel="noreferrer">
            <ApiOutlined /> {t("nav.apiDocs")}
          </a>
        </div>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: "#fff", display: "flex", justifyContent: "flex-end", alignItems: "center", gap: 16 }}>
          {session.user.email.endsWith("@ocop.demo") && <Tag color="orange">{t("demoBadge")}</Tag>}
          <LanguageSwitch />
          <NotificationBell />
          <Dropdown
            trigger={["click"]}
            menu={{
              items: [
                { key: "password", icon: <KeyOutlined />, label: t("changePassword"), onClick: () => setPasswordOpen(true) },
                {
                  key: "logout",
                  icon: <LogoutOutlined />,
                  label: t("logout"),
                  onClick: async () => {
                    await signOut();
                    navigate("/");
                  },
                },
              ],
            }}
          >
            <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
              <Space>
                {session.user.display_name}
                <Typography.Text type="secondary">{tk("role", session.user.role)}</Typography.Text>
              </Space>
            </Button>
          </Dropdown>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <Suspense fallback={<Spin style={{ display: "block", margin: 48 }} />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <ChangePasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </Layout>
  );
}
