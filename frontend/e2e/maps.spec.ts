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
  // The canvas takes its size from the panel once laid out, a moment after it shows.
  await expect.poll(async () => (await canvas.boundingBox())?.width ?? 0).toBeGreaterThan(100);
  const list = page.getByTestId("feature-list");
  for (const name of SEEDED) await expect(list.getByRole("cell", { name, exact: true })).toBeVisible();
  await expect(list.locator("tbody tr.ant-table-row")).toHaveCount(SEEDED.length);
  // Both crops are in the legend; the markers are on the map.
  await expect(page.getByTestId("legend")).toContainText("Trà hoa vàng");
  await expect(page.getByTestId("legend")).toContainText("Mơ lông");
  await expect(map.getByRole("button", { name: "Điểm bán hàng OCOP Uông Bí" })).toBeVisible();
  // The Thanh Sơn village lies inside the tea area: zoomed in on it, its marker opens the
  // village's popup only, not the area's beneath it.
  const village = map.getByRole("button", { name: "Làng nghề trồng và chế biến dược liệu Thanh Sơn" });
  await village.hover();
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -600);
  await village.click();
  await expect(page.locator(".maplibregl-popup")).toHaveCount(1);
  await expect(page.locator(".maplibregl-popup")).toContainText("Homestay bản Khe Tâm");
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
  // Framed on the province, the village and the province's sales point nearby overlap: zoom in.
  const village = map.getByRole("button", { name: "Làng nghề chế biến hải sản Hồng Gai" });
  await village.hover({ force: true });
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -600);
  await village.click();
  const popup = page.locator(".maplibregl-popup");
  await expect(popup).toContainText("Làng nghề chế biến hải sản Hồng Gai");
  await expect(popup).toContainText("Trải nghiệm giã chả mực");
  await expect(popup).toContainText("200.000 ₫");
});

test("the map is framed on the province and names its communes when zoomed in", async ({ page }) => {
  await page.goto("/public/map");
  const map = page.getByTestId("map");
  await expect(map).toHaveAttribute("data-loaded", "true");
  await expect(map).toHaveAttribute("data-framed", "true");
  const haLong = map.locator('.ocop-unit-label[data-code="06688"]');
  await expect(haLong).toHaveText("Phường Hạ Long");
  await expect(map.locator(".ocop-unit-label")).toHaveCount(54);
  const box = (await map.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  // Out to the whole country: too small to name communes.
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 600);
  await expect(haLong).toBeHidden();
  // Back in: named again.
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -600);
  await expect(haLong).toBeVisible();
});

test("a producer draws a growing area on the map and it is saved", async ({ page }) => {
  await signIn(page, "chuthe@ocop.demo");
  await page.getByRole("link", { name: "Bản đồ" }).click();
  const map = page.getByTestId("map");
  await expect(map).toHaveAttribute("data-loaded", "true");
  await page.getByRole("button", { name: "Vẽ vùng trồng" }).click();
  const box = (await map.boundingBox())!;
  // Four corners of a rectangle in the map's upper left, away from markers and controls.
  for (const [x, y] of [[0.1, 0.1], [0.3, 0.1], [0.3, 0.3], [0.1, 0.3]] as const) {
    await page.mouse.click(box.x + box.width * x, box.y + box.height * y);
  }
  await expect(page.getByText("Số đỉnh: 4")).toBeVisible();
  await page.getByRole("button", { name: "Hoàn tất" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Mã số vùng trồng").fill("VN-22-000-06688-009-26");
  await dialog.getByLabel("Tên", { exact: true }).fill("Vùng trồng na Hồng Gai");
  await dialog.getByLabel("Cây trồng").fill("Na");
  await dialog.getByLabel("Diện tích khai báo (ha)").fill("5");
  await dialog.getByLabel("Chủ thể").click();
  await page.locator(".ant-select-item-option", { hasText: "Công ty TNHH Thực phẩm Biển Hạ Long" }).click();
  await dialog.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Đã lưu.")).toBeVisible();
  // The drawing is far larger than declared: saved with a warning.
  await expect(page.getByText(/chênh lệch quá 20%/)).toBeVisible();
  await expect(page.getByTestId("feature-list").getByRole("cell", { name: "Vùng trồng na Hồng Gai", exact: true })).toBeVisible();
});

test("an officer places a craft village with a tourism service by clicking the map", async ({ page }) => {
  await signIn(page, "halong@ocop.demo");
  await page.getByRole("link", { name: "Bản đồ" }).click();
  const map = page.getByTestId("map");
  await expect(map).toHaveAttribute("data-loaded", "true");
  await page.getByRole("button", { name: "Thêm làng nghề" }).click();
  const box = (await map.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.8);
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Tên", { exact: true }).fill("Làng chài Cửa Vạn");
  await dialog.getByLabel("Xã, phường, thị trấn").click();
  await dialog.getByLabel("Xã, phường, thị trấn").fill("ha long");
  await page.locator(".ant-select-item-option", { hasText: "Phường Hạ Long" }).first().click();
  await dialog.getByLabel("Nghề").fill("Đánh bắt hải sản");
  await dialog.getByRole("button", { name: "Thêm dịch vụ du lịch" }).click();
  await dialog.getByPlaceholder("Tên").fill("Chèo thuyền làng chài");
  await dialog.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Đã lưu.")).toBeVisible();
  await expect(page.getByTestId("feature-list").getByRole("cell", { name: "Làng chài Cửa Vạn", exact: true })).toBeVisible();
  await map.getByRole("button", { name: "Làng chài Cửa Vạn" }).click();
  await expect(page.locator(".maplibregl-popup")).toContainText("Chèo thuyền làng chài");
});

test("an admin imports a ward's boundary, checked first, and the maps outline it", async ({ page }) => {
  await signIn(page, "admin@ocop.demo");
  await page.getByRole("link", { name: "Đơn vị hành chính" }).click();
  const card = page.getByTestId("boundaries");
  const square = [[107.02, 20.94], [107.07, 20.94], [107.07, 20.99], [107.02, 20.99], [107.02, 20.94]];
  const file = { type: "FeatureCollection", features: [{ type: "Feature", properties: { code: "06688" }, geometry: { type: "Polygon", coordinates: [square] } }] };
  await card.locator("input[type=file]").setInputFiles({ name: "ha-long.geojson", mimeType: "application/geo+json", buffer: Buffer.from(JSON.stringify(file)) });
  await expect(card.locator("tr", { hasText: "06688" })).toContainText("✓");
  await card.getByRole("button", { name: "Nhập" }).click();
  await expect(page.getByText("Đã nhập ranh giới: 1")).toBeVisible();
  await page.goto("/public/map");
  await expect(page.getByTestId("map")).toHaveAttribute("data-boundaries", "1");
  // The ward keeps its label at its centre.
  await expect(page.getByTestId("map").locator('.ocop-unit-label[data-code="06688"]')).toHaveText("Phường Hạ Long");
  // The dashboard's map fills it by its certified products.
  await page.goto("/");
  await expect(page.getByTestId("map")).toHaveAttribute("data-coloured", "1");
});
