import { Card, Collapse, Empty, List, Spin, Tag, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { PublicLayout } from "./PublicLayout";
import { keys } from "../api/keys";

/** Published fairs, exhibitions and consumer weeks still to come, with their participants. */
export function FairsPage() {
  const { t, tk } = useI18n();
  const events = useQuery({
    queryKey: keys.publicTradeEvents.all,
    queryFn: async () => unwrap(await api.GET("/api/v1/trade-events", { params: { query: { limit: 100 } } })),
  });
  return (
    <PublicLayout>
      <Typography.Title level={2}>{t("fairs.title")}</Typography.Title>
      {events.isLoading && <Spin />}
      {events.data && events.data.items.length === 0 && <Empty description={t("fairs.empty")} />}
      <List
        dataSource={events.data?.items ?? []}
        renderItem={(e) => (
          <List.Item key={e.id}>
            <Card style={{ width: "100%" }} title={e.name} extra={<Tag color="red">{tk("fairs.kind", e.kind)}</Tag>}>
              <Typography.Paragraph>
                <strong>{formatDate(e.starts_on)} – {formatDate(e.ends_on)}</strong> · {e.place}
              </Typography.Paragraph>
              <Typography.Paragraph type="secondary">
                {t("fairs.organiser")}: {e.organiser}
                {e.booths != null && ` · ${e.booths} ${t("fairs.booths")}`}
              </Typography.Paragraph>
              {e.description && <Typography.Paragraph>{e.description}</Typography.Paragraph>}
              <Collapse ghost items={[{ key: "p", label: t("fairs.participants"), children: <Participants id={e.id} /> }]} />
            </Card>
          </List.Item>
        )}
      />
    </PublicLayout>
  );
}

function Participants({ id }: { id: string }) {
  const { t } = useI18n();
  const detail = useQuery({
    queryKey: keys.publicTradeEvent.detail(id),
    queryFn: async () => unwrap(await api.GET("/api/v1/trade-events/{id}", { params: { path: { id } } })),
  });
  if (detail.isLoading) return <Spin size="small" />;
  const participants = detail.data?.participants ?? [];
  if (participants.length === 0) return <Typography.Text type="secondary">{t("fairs.noParticipants")}</Typography.Text>;
  return (
    <List
      size="small"
      dataSource={participants}
      renderItem={(p) => (
        <List.Item key={p.subject_id}>
          <span>
            {p.booth && <Tag>{p.booth}</Tag>}
            {p.subject_name}: {p.products.map((product, i) => (
              <span key={product.id}>
                {i > 0 && ", "}
                <Link to={`/catalog/${product.id}`}>{product.name}</Link>
              </span>
            ))}
          </span>
        </List.Item>
      )}
    />
  );
}
