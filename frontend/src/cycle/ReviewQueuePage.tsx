import { useState } from "react";
import { Link } from "react-router-dom";
import { Space, Table, Tag, Typography } from "antd";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { formatDate, formatDateTime } from "../lib/format";
import { CycleSelect, StatusTag } from "../registry/components";
import { keys } from "../api/keys";

const PAGE_SIZE = 20;

/** The officer's queue: applications of their area with documents awaiting review. */
export function ReviewQueuePage() {
  const { t } = useI18n();
  const [cycle, setCycle] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const queue = useQuery({
    queryKey: keys.applications.part("review-queue", cycle, page),
    enabled: !!cycle,
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/applications", { params: { query: { cycle_id: cycle, awaiting_review: true, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } } })),
  });
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("nav.review")}
        </Typography.Title>
        <CycleSelect value={cycle} onChange={(c) => { setCycle(c); setPage(1); }} />
      </Space>
      <Typography.Paragraph type="secondary">{t("review.queueHint")}</Typography.Paragraph>
      <Table
        rowKey="id"
        size="small"
        loading={queue.isFetching}
        dataSource={queue.data?.items}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: queue.data?.total, onChange: setPage, showSizeChanger: false, showTotal: (n) => `${t("total")}: ${n}` }}
        columns={[
          { title: t("product.code"), render: (_, a) => a.product?.code },
          { title: t("product.name"), render: (_, a) => <Link to={`/applications/${a.id}`}>{a.product?.name}</Link> },
          { title: t("product.status"), dataIndex: "status", render: (s: string) => <StatusTag status={s} /> },
          { title: t("review.waitingSince"), dataIndex: "status_changed_at", render: (v: string) => formatDateTime(v) },
          { title: t("cycle.deadline"), render: (_, a) => a.deadline && <Tag color={a.overdue ? "red" : "default"}>{formatDate(a.deadline)}</Tag> },
        ]}
      />
    </>
  );
}
