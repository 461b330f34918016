import { useMemo } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { Button, Card, Col, Empty, Input, Rate, Row, Select, Space, Spin, Tag, Typography } from "antd";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { useI18n } from "../i18n";
import { formatDate, formatVnd } from "../lib/format";
import { PublicLayout } from "./PublicLayout";
import { keys } from "../api/keys";

type Item = components["schemas"]["CatalogProduct"];
const PAGE = 24;

/** The public catalog: certified 3★+ products, filtered by star, area, group and words. */
export function CatalogPage() {
  const { t, tk } = useI18n();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(
    () => ({
      star: params.get("star") ? Number(params.get("star")) : undefined,
      area: params.get("area") ?? undefined,
      group: params.get("group") ?? undefined,
      q: params.get("q") ?? undefined,
    }),
    [params],
  );
  const set = (key: string, value: string | number | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined || value === "") next.delete(key);
    else next.set(key, String(value));
    setParams(next, { replace: true });
  };
  const facets = useQuery({ queryKey: keys.catalogFacets.all, queryFn: async () => unwrap(await api.GET("/api/v1/catalog/facets")) });
  const list = useInfiniteQuery({
    queryKey: keys.catalog.detail(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET("/api/v1/catalog/products", { params: { query: { ...filters, limit: PAGE, cursor: pageParam } } })),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <PublicLayout>
      <Typography.Title level={2}>{t("catalog.title")}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("catalog.intro")}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }} role="search">
        <Select
          aria-label={t("catalog.star")}
          style={{ width: 140 }}
          value={filters.star ?? 3}
          onChange={(v) => set("star", v === 3 ? undefined : v)}
          options={[3, 4, 5].map((n) => ({ value: n, label: t(`catalog.star${n}` as "catalog.star3") }))}
        />
        <Select
          aria-label={t("catalog.area")}
          style={{ width: 240 }}
          allowClear
          placeholder={t("catalog.area")}
          value={filters.area}
          onChange={(v) => set("area", v)}
          options={(facets.data?.areas ?? []).map((a) => ({ value: a.value, label: `${a.label ?? a.value} (${a.count})` }))}
        />
        <Select
          aria-label={t("product.group")}
          style={{ width: 260 }}
          allowClear
          placeholder={t("product.group")}
          value={filters.group}
          onChange={(v) => set("group", v)}
          options={(facets.data?.groups ?? []).map((g) => ({ value: g.value, label: `${tk("pgroup", g.value)} (${g.count})` }))}
        />
        <Input.Search
          aria-label={t("catalog.search")}
          placeholder={t("catalog.search")}
          defaultValue={filters.q}
          allowClear
          onSearch={(v) => set("q", v.trim())}
          style={{ width: 280 }}
        />
      </Space>
      {list.isLoading ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty description={t("catalog.empty")} />
      ) : (
        <Row gutter={[16, 16]} data-testid="catalog-list">
          {items.map((item) => (
            <Col xs={24} sm={12} lg={8} key={item.id}>
              <ProductCard item={item} />
            </Col>
          ))}
        </Row>
      )}
      {list.hasNextPage && (
        <div style={{ textAlign: "center", marginTop: 16 }}>
          <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>{t("catalog.more")}</Button>
        </div>
      )}
    </PublicLayout>
  );
}

function ProductCard({ item }: { item: Item }) {
  const { t } = useI18n();
  return (
    <Card
      size="small"
      title={<Link to={`/catalog/${item.id}`}>{item.title}</Link>}
      data-testid="catalog-item"
      cover={item.image_links[0] ? <img src={item.image_links[0]} alt={item.title} loading="lazy" style={{ height: 160, objectFit: "cover" }} /> : undefined}
    >
      <Space direction="vertical" size={2} style={{ width: "100%" }}>
        <span aria-label={`${item.star} ★`} data-star={item.star}>
          <Rate disabled value={item.star} style={{ fontSize: 14 }} /> <Tag color="gold">{item.star} ★</Tag>
        </span>
        <Typography.Text>{item.brand}</Typography.Text>
        <Typography.Text type="secondary" data-testid="origin">
          {[item.origin.commune, item.origin.district, item.origin.province].filter(Boolean).join(", ")}
        </Typography.Text>
        {item.price_vnd != null && (
          <Typography.Text strong>
            {formatVnd(item.price_vnd)} / {item.unit}
          </Typography.Text>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t("catalog.validUntil")} {formatDate(item.certificate.valid_until)}
        </Typography.Text>
      </Space>
    </Card>
  );
}
