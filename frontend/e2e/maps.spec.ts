import { expect, test } from "@playwright/test";
import { signIn } from "./session";

const SEEDED = [
  "Vùng trồng trà hoa vàng Thanh Sơn",
  "Vùng trồng mơ lông Thượng Yên Công",
  "Làng nghề chế biến hải sản Hồng Gai",
  "Làng nghề trồng và chế biến dược liệu Thanh Sơn",
  "Điểm bán hàng OCOP tỉnh Quảng Ninh",
  "Điểm bán hàng OCOP Uông Bí",
];

test("the map draws the seeded features with no base map, and layers toggle", async ({ page }) => {
  await signIn(page, "admin@ocop.demo");
  await page.getByRole("link", { name: "Bản đồ" }).click();
  const map = page.getByTestId("map");
  await expect(map).toHaveAttribute("data-loaded", "true");
  const canvas = map.locator("canvas.maplibregl-canvas");
  await expect(canvas).toBeVisible();
  expect((await canvas.boundingBox())?.width ?? 0).toBeGreaterThan(100);
  const list = page.getByTestId("feature-list");
  for (const name of SEEDED) await expect(list.getByRole("cell", { name, exact: true })).toBeVisible();
  await expect(list.locator("tbody tr.ant-table-row")).toHaveCount(SEEDED.length);
  // Both crops are in the legend; the markers are on the map.
  await expect(page.getByTestId("legend")).toContainText("Trà hoa vàng");
  await expect(page.getByTestId("legend")).toContainText("Mơ lông");
  await expect(map.getByRole("button", { name: "Điểm bán hàng OCOP Uông Bí" })).toBeVisible();
  // Sales points off: their markers and rows go.
  await page.getByRole("checkbox", { name: /Điểm bán hàng OCOP/ }).uncheck();
  await expect(list.locator("tbody tr.ant-table-row")).toHaveCount(4);
  await expect(map.getByRole("button", { name: "Điểm bán hàng OCOP Uông Bí" })).toBeHidden();
});

test("a visitor opens the public map and a craft village's popup", async ({ page }) => {
  await page.goto("/public/map");
  await expect(page.getByRole("heading", { name: "Bản đồ làng nghề, du lịch và điểm bán OCOP" })).toBeVisible();
  const map = page.getByTestId("map");
  await expect(map).toHaveAttribute("data-loaded", "true");
  await expect(page.getByTestId("feature-list").locator("tbody tr.ant-table-row")).toHaveCount(4);
  await map.getByRole("button", { name: "Làng nghề chế biến hải sản Hồng Gai" }).click();
  const popup = page.locator(".maplibregl-popup");
  await expect(popup).toContainText("Làng nghề chế biến hải sản Hồng Gai");
  await expect(popup).toContainText("Trải nghiệm giã chả mực");
  await expect(popup).toContainText("200.000 ₫");
});
