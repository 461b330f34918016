import { useEffect, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { Alert, App, Button, Card, Checkbox, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import { WarningOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { download } from "../api/files";
import { problemMessage } from "../lib/problem";
import { IssueCertificateButton, LevelTag, Stars } from "./components";
import type { components } from "../api/schema";
import { keys } from "../api/keys";

type Item = components["schemas"]["Item"];
const CELL_COLOR: Record<string, string> = { none: "default", draft: "gold", submitted: "green" };

/** The session board: products × present members, results and divergence flags. */
export function SessionPage() {
  const { id = "" } = useParams();
  const { t, tk, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const board = useQuery({ queryKey: keys.sessions.detail(id), queryFn: async () => unwrap(await api.GET("/api/v1/sessions/{id}", { params: { path: { id } } })) });
  const councilId = board.data?.council.id ?? "";
  const queue = useQuery({
    queryKey: keys.councils.part("queue", councilId),
    enabled: !!board.data?.can_manage,
    queryFn: async () => unwrap(await api.GET("/api/v1/councils/{id}/queue", { params: { path: { id: councilId } } })),
  });
  const [present, setPresent] = useState<string[]>([]);
  const [picked, setPicked] = useState<string[]>([]);
  useEffect(() => {
    if (board.data) setPresent(board.data.members.filter((m) => m.present).map((m) => m.id));
  }, [board.data]);
  const onError = (e: unknown) => message.error(problemMessage(e, lang));
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.sessions.detail(id) });
  const attendance = useMutation({
    mutationFn: async () => unwrap(await api.PUT("/api/v1/sessions/{id}/attendance", { params: { path: { id } }, body: { present } })),
    onSuccess: () => { message.success(t("saved")); refresh(); },
    onError,
  });
  const addItems = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/v1/sessions/{id}/items", { params: { path: { id } }, body: { application_ids: picked } })),
    onSuccess: () => { setPicked([]); refresh(); queryClient.invalidateQueries({ queryKey: keys.councils.part("queue") }); },
    onError,
  });
  const b = board.data;
  if (!b) return board.error ? <Typography.Text type="danger">{problemMessage(board.error, lang)}</Typography.Text> : null;
  // The board's columns are the members the server counts as scoring (present, not the secretary).
  const scoring = new Set(b.items[0]?.cells.map((c) => c.member_id) ?? []);
  const scorers = b.members.filter((m) => scoring.has(m.id));
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("session.title")} {formatDate(b.session.held_on)}
        </Typography.Title>
        <Space>
          <Link to={`/councils/${b.council.id}`}>{b.council.name}</Link>
          <LevelTag level={b.council.level} />
          <Button onClick={() => download(`/api/v1/sessions/${id}/minutes`, "bien-ban.xlsx").catch(onError)}>{t("session.minutes")}</Button>
        </Space>
      </Space>
      {b.quorum_met ? (
        <Alert type="success" showIcon message={t("session.quorumOk")} style={{ marginBottom: 16 }} />
      ) : (
        <Alert type="warning" showIcon message={lang === "vi" ? b.quorum_message_vi : b.quorum_message_en} style={{ marginBottom: 16 }} data-testid="quorum" />
      )}
      <Card title={t("session.attendance")} size="small" style={{ marginBottom: 16 }}>
        <Space direction="vertical">
          {b.members.map((m) => (
            <Checkbox
              key={m.id}
              checked={present.includes(m.id)}
              disabled={!b.can_keep_attendance}
              onChange={(e) => setPresent(e.target.checked ? [...present, m.id] : present.filter((p) => p !== m.id))}
            >
              {m.display_name} — {tk("mrole", m.role)}
            </Checkbox>
          ))}
          {b.can_keep_attendance && (
            <Button onClick={() => attendance.mutate()} loading={attendance.isPending}>{t("session.saveAttendance")}</Button>
          )}
        </Space>
      </Card>
      <Card
        title={t("session.product")}
        size="small"
        extra={b.can_manage && (
          <Space>
            <Select
              mode="multiple"
              style={{ minWidth: 320 }}
              placeholder={t("council.queue")}
              aria-label={t("council.queue")}
              value={picked}
              onChange={setPicked}
              options={(queue.data ?? []).map((q) => ({ value: q.application_id, label: q.product?.name ?? q.application_id }))}
            />
            <Button type="primary" disabled={picked.length === 0} loading={addItems.isPending} onClick={() => addItems.mutate()}>
              {t("session.addItems")}
            </Button>
          </Space>
        )}
      >
        <Table<Item>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={b.items}
          scroll={{ x: true }}
          locale={{ emptyText: t("cycle.noApplications") }}
          columns={[
            { title: t("session.product"), render: (_, i) => <Link to={`/session-items/${i.id}`}>{i.product?.name}</Link> },
            ...scorers.map((m) => ({
              title: m.display_name,
              key: m.id,
              render: (_: unknown, i: Item) => {
                const cell = i.cells.find((c) => c.member_id === m.id);
                if (!cell) return null;
                return (
                  <Tag color={CELL_COLOR[cell.state]} data-testid={`cell-${cell.state}`}>
                    {tk("cell", cell.state)}
                    {cell.total != null ? ` · ${cell.total}` : ""}
                  </Tag>
                );
              },
            })),
            {
              title: t("session.average"),
              render: (_, i) =>
                i.result ? (
                  <Space>
                    <span data-testid="average">{i.result.average.toFixed(2)}</span>
                    {i.result.divergent && (
                      <Tooltip title={t("session.divergent")}>
                        <Tag color="red" icon={<WarningOutlined />}>{t("session.divergent")}</Tag>
                      </Tooltip>
                    )}
                  </Space>
                ) : null,
            },
            { title: t("session.star"), render: (_, i) => (i.result ? <Stars star={i.result.star} /> : null) },
            {
              title: t("cert.status"),
              render: (_, i) => (
                <Space>
                  <Tag color={i.status === "finalized" ? "blue" : "default"}>{i.status === "finalized" ? t("session.finalized") : t("session.scoring")}</Tag>
                  {i.result?.forwarded_to && <Tag color="purple">{t("session.forwardedTo")} {tk("clevel", i.result.forwarded_to)}</Tag>}
                </Space>
              ),
            },
            {
              title: "",
              render: (_, i) => (
                <Space>
                  <Link to={`/session-items/${i.id}`}>{b.i_score && i.status === "scoring" ? t("session.score") : t("session.view")}</Link>
                  {i.can_certify && (
                    <IssueCertificateButton itemId={i.id} onIssued={refresh} />
                  )}
                  {i.certificate_id && <Link to={`/certificates/${i.certificate_id}`}>{t("nav.certificates")}</Link>}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
