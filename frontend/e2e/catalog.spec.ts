import { expect, test } from "@playwright/test";
import { catalogPort } from "./ports";

// This server's database holds certified synthetic products besides the demo.
test.use({ baseURL: `http://127.0.0.1:${catalogPort}` });

interface Item {
  id: string;
  title: string;
  star: number;
  origin: { district: string | null; commune: string | null };
  certificate: { number: string };
}

test("a visitor filters the public catalog to 4★ products of one commune and opens one", async ({ page, request }) => {
  // The unit under the province (a commune since July 2025) with the most 4★+ products, and
  // what the catalog holds there.
  const four: { items: Item[] } = await (await request.get("/api/v1/catalog/products?star=4&limit=200")).json();
  const counts = new Map<string, number>();
  const under = (item: Item) => item.origin.district ?? item.origin.commune ?? "";
  for (const item of four.items) counts.set(under(item), (counts.get(under(item)) ?? 0) + 1);
  // Among places that also list 3★ products, so that the star filter has something to remove.
  const listed: { items: Item[] } = await (await request.get("/api/v1/catalog/products?limit=200")).json();
  const everything = new Map<string, number>();
  for (const item of listed.items) everything.set(under(item), (everything.get(under(item)) ?? 0) + 1);
  const [place] = [...counts.entries()].filter(([p, n]) => (everything.get(p) ?? 0) > n).sort((a, b) => b[1] - a[1])[0]!;
  const facets: { areas: { value: string; label: string; count: number }[] } = await (await request.get("/api/v1/catalog/facets")).json();
  const area = facets.areas.find((a) => a.label === place)!;
  const all: { items: Item[] } = await (await request.get(`/api/v1/catalog/products?area=${area.value}&limit=200`)).json();
  const expected = all.items.filter((i) => i.star >= 4);
  expect(expected.length).toBeGreaterThan(0);
  expect(all.items.length).toBeGreaterThan(expected.length);

  await page.goto("/");
  await page.getByRole("link", { name: "Xem danh mục sản phẩm OCOP và hội chợ (không cần đăng nhập)" }).click();
  await expect(page.getByRole("heading", { name: "Sản phẩm OCOP được chứng nhận" })).toBeVisible();
  await expect(page.getByTestId("catalog-item").first()).toBeVisible();

  await page.getByRole("combobox", { name: "Xã, phường, đặc khu" }).click();
  await page.locator(".ant-select-item-option", { hasText: `${place} (${area.count})` }).click();
  await expect(page.getByTestId("catalog-item")).toHaveCount(all.items.length);
  await page.getByRole("combobox", { name: "Hạng sao" }).click({ force: true });
  await page.locator(".ant-select-item-option", { hasText: "Từ 4 sao" }).click();
  const cards = page.getByTestId("catalog-item");
  await expect(cards).toHaveCount(expected.length);
  for (const card of await cards.all()) {
    expect(Number(await card.locator("[data-star]").getAttribute("data-star"))).toBeGreaterThanOrEqual(4);
    await expect(card.getByTestId("origin")).toContainText(place);
  }
  // The filters live in the address, so the page can be shared.
  await expect(page).toHaveURL(/star=4/);
  await expect(page).toHaveURL(new RegExp(`area=${area.value}`));

  const first = expected[0]!;
  await cards.getByRole("link", { name: first.title, exact: true }).click();
  await expect(page.getByRole("heading", { name: first.title })).toBeVisible();
  await expect(page.getByTestId("product-star")).toHaveAttribute("data-star", String(first.star));
  await expect(page.getByTestId("certificate-number")).toHaveText(first.certificate.number);
  await expect(page.getByTestId("product-origin")).toContainText(place);
  await expect(page.getByText("Hiệu lực", { exact: true })).toBeVisible();
});

test("a product that is not listed says so", async ({ page }) => {
  await page.goto("/catalog/019a8f2e-7b1c-7e3a-9c51-3f0d2a6b8e93");
  await expect(page.getByRole("alert")).toContainText("không có trong danh mục");
});
