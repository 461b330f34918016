import type { ReactNode } from "react";
import { Link, NavLink } from "react-router-dom";
import { Layout, Space, Typography } from "antd";
import { useI18n } from "../i18n";
import { LanguageSwitch } from "../app/LanguageSwitch";

/** The frame of the pages visitors see without signing in: catalog, fairs, map. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const link = ({ isActive }: { isActive: boolean }) => ({ fontWeight: isActive ? 600 : 400 });
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Header
        style={{ background: "#fff", display: "flex", justifyContent: "space-between", alignItems: "center", flexWrap: "wrap", height: "auto", lineHeight: "48px" }}
      >
        <Link to="/catalog">
          <Typography.Title level={4} style={{ margin: 0, color: "#b71c1c" }}>{t("appName")}</Typography.Title>
        </Link>
        <nav aria-label={t("public.nav")}>
          <Space size="middle" wrap>
            <NavLink to="/catalog" end style={link}>{t("public.catalog")}</NavLink>
            <NavLink to="/fairs" style={link}>{t("public.fairs")}</NavLink>
            <NavLink to="/public/map" style={link}>{t("public.map")}</NavLink>
            <LanguageSwitch />
            <Link to="/">{t("login.submit")}</Link>
          </Space>
        </nav>
      </Layout.Header>
      <Layout.Content style={{ margin: "16px 24px", maxWidth: 1200, width: "calc(100% - 48px)", alignSelf: "center" }}>{children}</Layout.Content>
    </Layout>
  );
}
