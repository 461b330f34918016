import { useState } from "react";
import { Link } from "react-router-dom";
import { Badge, Card, Col, Empty, Input, Row, Space, Tag, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { query } from "../lib/download";
import { CycleSelect, ExportButtons, STATUSES } from "../components/registry";

/** The cycle board: applications in columns by state, oldest waiting first. */
export function CycleBoardPage() {
  const { t, tk } = useI18n();
  const [cycle, setCycle] = useState<string | undefined>();
  const [q, setQ] = useState("");
  const board = useQuery({
    queryKey: ["applications", "board", cycle, q],
    enabled: !!cycle,
    queryFn: async () => unwrap(await api.GET("/api/v1/applications", { params: { query: { cycle_id: cycle, q: q || undefined, limit: 200 } } })),
  });
  const items = board.data?.items ?? [];
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("nav.board")}
        </Typography.Title>
        <Space wrap>
          <CycleSelect value={cycle} onChange={setCycle} />
          <Input.Search allowClear placeholder={t("searchHint")} onSearch={setQ} style={{ width: 260 }} />
          {cycle && <ExportButtons path={`/api/v1/applications/export${query({ cycle_id: cycle, q: q || undefined })}`} />}
        </Space>
      </Space>
      <Row gutter={12} wrap={false} style={{ overflowX: "auto" }}>
        {STATUSES.map((status) => {
          const column = items.filter((a) => a.status === status);
          return (
            <Col key={status} flex="0 0 260px" data-testid={`column-${status}`}>
              <Card size="small" title={<Space>{tk("status", status)} <Badge count={column.length} showZero color="#999" /></Space>} styles={{ body: { minHeight: 120 } }}>
                {column.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("cycle.noApplications")} />}
                <Space direction="vertical" style={{ width: "100%" }}>
                  {column.map((a) => (
                    <Card key={a.id} size="small" hoverable>
                      <Link to={`/applications/${a.id}`}>{a.product?.name}</Link>
                      <div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {a.product?.code}
                        </Typography.Text>
                      </div>
                      <Space size={4} wrap>
                        {a.returned_reason && <Tag color="orange">{t("app.returned")}</Tag>}
                        {a.deadline && <Tag color={a.overdue ? "red" : "default"}>{formatDate(a.deadline)}</Tag>}
                      </Space>
                    </Card>
                  ))}
                </Space>
              </Card>
            </Col>
          );
        })}
      </Row>
    </>
  );
}
