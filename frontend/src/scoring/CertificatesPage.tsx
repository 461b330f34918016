import { useState } from "react";
import { Link } from "react-router-dom";
import { Segmented, Space, Table, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { problemMessage } from "../lib/problem";
import { CertificateStatusTag, LevelTag, Stars } from "./components";
import { keys } from "../api/keys";

type View = "expiring" | "active" | "all";

/** Certificates of the caller's area (or own products), with the 90-day expiry list first. */
export function CertificatesPage() {
  const { t, lang } = useI18n();
  const [view, setView] = useState<View>("expiring");
  const [page, setPage] = useState(1);
  const certificates = useQuery({
    queryKey: keys.certificates.detail(view, page),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/certificates", {
          params: {
            query: {
              expiring_within_days: view === "expiring" ? 90 : undefined,
              status: view === "active" ? "active" : undefined,
              limit: 20,
              offset: (page - 1) * 20,
            },
          },
        }),
      ),
  });
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>{t("nav.certificates")}</Typography.Title>
        <Segmented<View>
          value={view}
          onChange={(v) => { setView(v); setPage(1); }}
          options={[
            { value: "expiring", label: t("cert.expiring") },
            { value: "active", label: t("cstatus.active") },
            { value: "all", label: t("all") },
          ]}
        />
      </Space>
      {certificates.error && <Typography.Text type="danger">{problemMessage(certificates.error, lang)}</Typography.Text>}
      <Table
        rowKey="id"
        loading={certificates.isFetching}
        dataSource={certificates.data?.items}
        locale={{ emptyText: t("cert.none") }}
        pagination={{ current: page, pageSize: 20, total: certificates.data?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t("cert.number"), dataIndex: "number", render: (n: string, c) => <Link to={`/certificates/${c.id}`}>{n}</Link> },
          { title: t("session.product"), render: (_, c) => (c.product ? <Link to={`/products/${c.product.id}`}>{c.product.name}</Link> : null) },
          { title: t("product.subject"), dataIndex: "subject_name" },
          { title: t("cert.star"), dataIndex: "star", render: (s: number) => <Stars star={s} /> },
          { title: t("council.level"), dataIndex: "level", render: (l: string) => <LevelTag level={l} /> },
          { title: t("cert.validUntil"), dataIndex: "valid_until", render: (d: string) => formatDate(d) },
          { title: t("cert.status"), render: (_, c) => <CertificateStatusTag status={c.status} daysLeft={c.days_left} expiringSoon={c.expiring_soon} /> },
        ]}
      />
    </>
  );
}
