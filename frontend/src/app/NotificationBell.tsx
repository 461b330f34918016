import { Badge, Button } from "antd";
import { BellOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router-dom";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { keys } from "../api/keys";

/** The header's bell: how many notifications are unread, refreshed every minute. */
export function NotificationBell() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const unread = useQuery({
    queryKey: keys.notifications.part("unread"),
    queryFn: async () => unwrap(await api.GET("/api/v1/notifications/unread-count")).unread,
    refetchInterval: 60_000,
  });
  return (
    <Badge count={unread.data ?? 0} size="small" data-testid="unread-count">
      <Button type="text" icon={<BellOutlined />} aria-label={t("nav.notifications")} onClick={() => navigate("/notifications")} />
    </Badge>
  );
}
