import { Suspense, useState } from "react";
import { Link, Outlet, useLocation, useNavigate } from "react-router-dom";
import { Button, Dropdown, Layout, Menu, Space, Spin, Tag, Typography } from "antd";
import { ApartmentOutlined, AuditOutlined, HomeOutlined, LogoutOutlined, TeamOutlined, UserOutlined, ApiOutlined, KeyOutlined, ShopOutlined, GiftOutlined, ProjectOutlined, BarChartOutlined, FileExcelOutlined, FolderOpenOutlined, PartitionOutlined, SolutionOutlined, SafetyCertificateOutlined, OrderedListOutlined, EnvironmentOutlined, ShoppingOutlined, LinkOutlined, ReadOutlined, DollarOutlined, FileTextOutlined, QrcodeOutlined } from "@ant-design/icons";
import { useSession } from "../auth/session";
import { signOut } from "../api/client";
import { useI18n } from "../i18n";
import type { MessageKey } from "../i18n/messages";
import { ChangePasswordModal } from "../components/ChangePasswordModal";
import { LanguageSwitch } from "../components/LanguageSwitch";
import { NotificationBell } from "../components/NotificationBell";

interface NavItem {
  path: string;
  label: MessageKey;
  icon: React.ReactNode;
  adminOnly?: boolean;
  /** Shown only to these roles (default: everyone). */
  roles?: (role: string) => boolean;
}

const isOfficer = (role: string) => role === "admin" || role.endsWith("_officer");

const NAV: NavItem[] = [
  { path: "/", label: "nav.home", icon: <HomeOutlined /> },
  { path: "/mine", label: "nav.mine", icon: <FolderOpenOutlined />, roles: (r) => r === "producer" },
  { path: "/subjects", label: "nav.subjects", icon: <ShopOutlined /> },
  { path: "/products", label: "nav.products", icon: <GiftOutlined /> },
  { path: "/review", label: "nav.review", icon: <AuditOutlined />, roles: isOfficer },
  { path: "/cycle", label: "nav.board", icon: <ProjectOutlined />, roles: (r) => r !== "council_member" },
  { path: "/progress", label: "nav.progress", icon: <BarChartOutlined /> },
  { path: "/map", label: "nav.map", icon: <EnvironmentOutlined /> },
  { path: "/councils", label: "nav.councils", icon: <SolutionOutlined />, roles: (r) => r !== "producer" },
  { path: "/certificates", label: "nav.certificates", icon: <SafetyCertificateOutlined /> },
  { path: "/batches", label: "nav.batches", icon: <QrcodeOutlined />, roles: (r) => r !== "council_member" },
  { path: "/reports", label: "nav.reports", icon: <FileTextOutlined />, roles: isOfficer },
  { path: "/training", label: "nav.training", icon: <ReadOutlined />, roles: isOfficer },
  { path: "/funding", label: "nav.funding", icon: <DollarOutlined />, roles: isOfficer },
  { path: "/catalog", label: "nav.catalog", icon: <ShoppingOutlined /> },
  { path: "/criteria-sets", label: "nav.criteria", icon: <OrderedListOutlined />, roles: (r) => r !== "producer" },
  { path: "/import", label: "nav.import", icon: <FileExcelOutlined />, roles: isOfficer },
  { path: "/admin-units", label: "nav.adminUnits", icon: <ApartmentOutlined /> },
  { path: "/classifications", label: "nav.classifications", icon: <PartitionOutlined />, adminOnly: true },
  { path: "/users", label: "nav.users", icon: <TeamOutlined />, adminOnly: true },
  { path: "/partners", label: "nav.partners", icon: <LinkOutlined />, adminOnly: true },
  { path: "/audit", label: "nav.audit", icon: <AuditOutlined />, adminOnly: true },
];

export function AppLayout() {
  const session = useSession();
  const { t, tk } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const [passwordOpen, setPasswordOpen] = useState(false);
  if (!session) return null;
  const isAdmin = session.user.role === "admin";
  const items = NAV.filter((n) => (!n.adminOnly || isAdmin) && (!n.roles || n.roles(session.user.role))).map((n) => ({
    key: n.path,
    icon: n.icon,
    label: <Link to={n.path}>{t(n.label)}</Link>,
  }));
  // A dossier page belongs to the cycle board in the menu; sessions and sheets to the councils.
  const path = location.pathname.startsWith("/applications/")
    ? "/cycle"
    : /^\/(sessions|session-items)\//.test(location.pathname)
      ? "/councils"
      : location.pathname;
  const selected = NAV.filter((n) => n.path !== "/" && path.startsWith(n.path)).map((n) => n.path);
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
