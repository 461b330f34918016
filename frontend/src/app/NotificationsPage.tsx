import { useState } from "react";
import { Button, Card, List, Space, Switch, Tag, Typography } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { formatDateTime } from "../lib/format";
import { keys } from "../api/keys";

/** The caller's notifications, newest first, in the chosen language. */
export function NotificationsPage() {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const inbox = useQuery({
    queryKey: keys.notifications.list(unreadOnly),
    queryFn: async () => unwrap(await api.GET("/api/v1/notifications", { params: { query: { unread: unreadOnly, limit: 100 } } })),
  });
  const refresh = () => client.invalidateQueries({ queryKey: keys.notifications.all });
  const read = useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST("/api/v1/notifications/{id}/read", { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const readAll = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/v1/notifications/read-all")),
    onSuccess: refresh,
  });
  return (
    <Card
      title={t("notify.title")}
      extra={
        <Space>
          <Switch checked={unreadOnly} onChange={setUnreadOnly} /> {t("notify.unreadOnly")}
          <Button onClick={() => readAll.mutate()} disabled={!inbox.data?.unread}>
            {t("notify.readAll")}
          </Button>
        </Space>
      }
    >
      <List
        loading={inbox.isLoading}
        locale={{ emptyText: t("notify.empty") }}
        dataSource={inbox.data?.items ?? []}
        renderItem={(n) => (
          <List.Item
            data-testid="notification"
            actions={[
              n.link ? (
                <Link key="open" to={n.link} onClick={() => !n.read_at && read.mutate(n.id)}>
                  {t("notify.open")}
                </Link>
              ) : null,
              !n.read_at ? (
                <Button key="read" size="small" onClick={() => read.mutate(n.id)}>
                  {t("notify.markRead")}
                </Button>
              ) : null,
            ]}
          >
            <List.Item.Meta
              title={
                <Space>
                  {!n.read_at && <Tag color="red">•</Tag>}
                  <Typography.Text strong={!n.read_at}>{lang === "vi" ? n.title_vi : n.title_en}</Typography.Text>
                </Space>
              }
              description={`${lang === "vi" ? n.body_vi : n.body_en} · ${formatDateTime(n.created_at)}`}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
