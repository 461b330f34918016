import { expect, test } from "@playwright/test";
import { catalogPort } from "./ports";
import { signIn } from "./session";

// This server's database holds certified synthetic products: the stamp's page shows a star.
test.use({ baseURL: `http://127.0.0.1:${catalogPort}` });

/** A 1×1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAACklEQVR4nGMAAQAABQABDQottAAAAABJRU5ErkJggg==", "base64");

test("a batch gets 100 stamps; a stamp's page shows product, photo, star and batch, and warns once six people scanned it", async ({ page, request }) => {
  const listed: { items: { id: string; title: string; star: number }[] } = await (await request.get("/api/v1/catalog/products?limit=1")).json();
  const product = listed.items[0]!;

  await signIn(page, "admin@ocop.demo");
  // The product's photo, for the stamp page.
  await page.goto(`/products/${product.id}`);
  await page.locator("input[type=file]").setInputFiles({ name: "anh.png", mimeType: "image/png", buffer: PNG });
  await expect(page.getByTestId("product-photo")).toBeVisible();
  const listing: { image_links: string[] } = await (await request.get(`/api/v1/catalog/products/${product.id}`)).json();
  expect(listing.image_links[0]).toContain(`/api/v1/public/products/${product.id}/photo?v=`);
  await page.goto("/");
  await page.getByRole("link", { name: "Lô sản xuất, tem" }).click();
  await page.getByRole("button", { name: "Tạo lô" }).click();
  const form = page.locator(".ant-drawer").filter({ hasText: "Tạo lô" });
  await form.getByLabel("Sản phẩm").click();
  await page.keyboard.type(product.title);
  await page.locator(".ant-select-item-option", { hasText: product.title }).first().click();
  await form.getByLabel("Số lô").fill("L-E2E-01");
  await form.getByLabel("Ngày sản xuất").fill("01/12/2026");
  await page.keyboard.press("Enter");
  await form.getByLabel("Tiêu chuẩn áp dụng").fill("TCCS 01:2026");
  await form.getByLabel("Phòng kiểm nghiệm").fill("Trung tâm Kiểm nghiệm Quảng Ninh");
  await form.getByLabel("Kết quả kiểm nghiệm").fill("Đạt chỉ tiêu vi sinh");
  await form.getByRole("button", { name: "Lưu" }).click();

  const batch = page.locator(".ant-drawer").filter({ hasText: "Lô L-E2E-01" });
  await expect(batch.getByText("Đạt chỉ tiêu vi sinh")).toBeVisible();
  // The laboratory's report, attached to the test.
  await batch.getByTestId("lab-test").locator("input[type=file]").setInputFiles({ name: "KN-E2E.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%\u00e2\u00e3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n") });
  await expect(batch.getByRole("button", { name: /Phiếu kết quả: KN-E2E.pdf/ })).toBeVisible();
  await batch.getByRole("button", { name: "Phát hành tem" }).click();
  await expect(batch.getByTestId("stamp-job")).toContainText("100 / 100");
  const first = batch.getByTestId("stamp-codes").getByRole("link").first();
  await expect(first).toBeVisible();
  await first.click();

  // The consumer's page: a plain server page, no sign-in needed.
  await expect(page.getByRole("heading", { name: product.title })).toBeVisible();
  await expect(page.locator("#star")).toContainText(`${product.star} sao`);
  await expect.poll(() => page.locator("#photo").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
  await expect(page.locator("#batch")).toContainText("L-E2E-01");
  await expect(page.locator("#scans")).toHaveText("1");
  await expect(page.locator("#warning")).toHaveCount(0);
  // The same person scanning again is no sign of a fake.
  await page.reload();
  await expect(page.locator("#scans")).toHaveText("2");
  await expect(page.locator("#warning")).toHaveCount(0);
  // Five other people (behind the proxy the server trusts here) scan it within the day.
  const code = new URL(page.url()).pathname.split("/").pop();
  for (let n = 1; n <= 5; n++) {
    const r = await request.get(`/api/v1/public/trace/${code}`, { headers: { "x-forwarded-for": `198.51.100.${n}` } });
    expect(r.status()).toBe(200);
  }
  await page.reload();
  await expect(page.locator("#scans")).toHaveText("8");
  await expect(page.locator("#warning")).toContainText("Cảnh báo");
});
