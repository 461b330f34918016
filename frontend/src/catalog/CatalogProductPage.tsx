import { useEffect } from "react";
import { Link, useParams } from "react-router-dom";
import { Alert, Card, Descriptions, Rate, Spin, Tag, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { useI18n } from "../i18n";
import { formatDate, formatVnd } from "../lib/format";
import { PublicLayout } from "./PublicLayout";
import { keys } from "../api/keys";

/** A listed product's public page: star, certificate and its validity, producer, origin. */
export function CatalogProductPage() {
  const { id = "" } = useParams();
  const { t, tk } = useI18n();
  const product = useQuery({
    queryKey: keys.catalogProduct.detail(id),
    queryFn: async () => unwrap(await api.GET("/api/v1/catalog/products/{id}", { params: { path: { id } } })),
    retry: false,
  });
  const p = product.data;
  useEffect(() => {
    if (p) document.title = `${p.title} — OCOP ${p.star}★`;
  }, [p]);
  return (
    <PublicLayout>
      <Link to="/catalog">{t("catalog.back")}</Link>
      {product.isLoading && <Spin />}
      {product.isError && <Alert type="warning" showIcon style={{ marginTop: 16 }} message={t("catalog.notListed")} />}
      {p && (
        <Card style={{ marginTop: 16 }}>
          {p.image_links[0] && <img src={p.image_links[0]} alt={p.title} data-testid="catalog-photo" style={{ maxWidth: "100%", maxHeight: 320, objectFit: "cover", borderRadius: 8, marginBottom: 12 }} />}
          <Typography.Title level={2} style={{ marginTop: 0 }}>{p.title}</Typography.Title>
          <div aria-label={`${p.star} ★`} data-testid="product-star" data-star={p.star}>
            <Rate disabled value={p.star} /> <Tag color="gold">OCOP {p.star} ★</Tag>
          </div>
          {p.description && <Typography.Paragraph style={{ marginTop: 12 }}>{p.description}</Typography.Paragraph>}
          <Descriptions column={1} bordered size="small" style={{ marginTop: 16 }}>
            <Descriptions.Item label={t("catalog.certificate")}>
              <span data-testid="certificate-number">{p.certificate.number}</span> — {p.certificate.issuing_body} ({t("catalog.decision")}{" "}
              {p.certificate.decision_number})
            </Descriptions.Item>
            <Descriptions.Item label={t("catalog.validUntil")}>
              {formatDate(p.certificate.valid_from)} – {formatDate(p.certificate.valid_until)}
            </Descriptions.Item>
            <Descriptions.Item label={t("catalog.producer")}>{p.producer.name}</Descriptions.Item>
            <Descriptions.Item label={t("catalog.contact")}>
              {[p.producer.address, p.producer.phone, p.producer.email].filter(Boolean).join(" · ")}
            </Descriptions.Item>
            <Descriptions.Item label={t("catalog.origin")}>
              <span data-testid="product-origin">{[p.origin.commune, p.origin.district, p.origin.province].filter(Boolean).join(", ")}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t("product.group")}>{tk("pgroup", p.group_code)}</Descriptions.Item>
            <Descriptions.Item label={t("catalog.code")}>{p.code}{p.gtin ? ` · GTIN ${p.gtin}` : ""}</Descriptions.Item>
            {p.price_vnd != null && (
              <Descriptions.Item label={t("catalog.price")}>
                {formatVnd(p.price_vnd)} / {p.unit}
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>
      )}
    </PublicLayout>
  );
}
