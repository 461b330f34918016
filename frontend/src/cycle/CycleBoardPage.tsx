import { useState } from "react";
import { Link } from "react-router-dom";
import { App, Badge, Button, Card, Col, Empty, Input, Row, Space, Tag, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { problemMessage } from "../lib/problem";
import type { components } from "../api/schema";
import { query } from "../api/files";
import { CycleSelect, ExportButtons, STATUSES } from "../registry/components";
import { keys } from "../api/keys";

/** The cycle board: applications in columns by state, oldest waiting first. */
type Action = components["schemas"]["MoveInput"]["action"];

export function CycleBoardPage() {
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  // Moves straight from the board; returning needs a reason, so it is made on the dossier page.
  const move = useMutation({
    mutationFn: async ({ id, action }: { id: string; action: Action }) =>
      unwrap(await api.POST("/api/v1/applications/{id}/moves", { params: { path: { id } }, body: { action } })),
    onSuccess: () => {
      message.success(t("app.moved"));
      queryClient.invalidateQueries({ queryKey: keys.applications.all });
      queryClient.invalidateQueries({ queryKey: keys.progress.all });
    },
    onError: (e) => message.error(problemMessage(e, lang)),
  });
  const [cycle, setCycle] = useState<string | undefined>();
  const [q, setQ] = useState("");
  const board = useQuery({
    queryKey: keys.applications.part("board", cycle, q),
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
            <Col key={status} flex="1 0 210px" data-testid={`column-${status}`}>
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
                      <Space size={4} wrap style={{ marginTop: 4 }}>
                        {a.allowed_moves
                          .filter((m) => m !== "return")
                          .map((m) => (
                            <Button key={m} size="small" loading={move.isPending} onClick={() => move.mutate({ id: a.id, action: m as Action })}>
                              {tk("action", m)}
                            </Button>
                          ))}
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
