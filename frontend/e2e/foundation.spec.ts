import { expect, test } from "@playwright/test";
import { signIn, signOut } from "./session";

test("an admin creates a commune, finds it without diacritics, sees it audited, and signs out", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Đăng nhập" })).toBeVisible();
  await page.getByLabel("Email").fill("admin@ocop.demo");
  await page.getByLabel("Mật khẩu").fill("OcopDemo@2026");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { name: /Xin chào/ })).toBeVisible();

  await page.getByRole("link", { name: "Đơn vị hành chính" }).click();
  await expect(page.locator(".ant-tree").getByText("Tỉnh Quảng Ninh (22)")).toBeVisible();
  await page.getByRole("button", { name: "Thêm đơn vị" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Mã").fill("09500");
  await dialog.getByLabel("Tên đơn vị").fill("Xã Đồng Tâm Thử Nghiệm");
  await dialog.getByLabel("Đơn vị cấp trên").fill("quang ninh");
  await page.locator(".ant-select-item-option", { hasText: "Tỉnh Quảng Ninh (22)" }).click();
  await dialog.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Đã tạo.")).toBeVisible();
  // The new unit opens in the detail drawer, placed directly under the province (two levels).
  const drawer = page.locator(".ant-drawer-content");
  await expect(drawer).toContainText("/22/09500/");
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();

  // Typed without diacritics, found with them.
  await page.getByPlaceholder("Gõ có dấu hoặc không dấu, ví dụ: ha long").fill("dong tam thu nghiem");
  await page.getByPlaceholder("Gõ có dấu hoặc không dấu, ví dụ: ha long").press("Enter");
  const rows = page.locator(".ant-table-tbody tr.ant-table-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Xã Đồng Tâm Thử Nghiệm");
  await expect(rows.first()).toContainText("09500");

  await page.getByRole("link", { name: "Nhật ký thay đổi" }).click();
  const entry = page.locator(".ant-table-tbody tr.ant-table-row", { hasText: "Xã Đồng Tâm Thử Nghiệm (09500)" });
  await expect(entry).toContainText("admin_unit.create");
  await expect(entry).toContainText("admin@ocop.demo");

  await signOut(page);
  // Signed out for real: a reload stays on the sign-in page.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Đăng nhập" })).toBeVisible();
});

test("English is one click away and dates read dd/mm/yyyy", async ({ page }) => {
  await page.goto("/");
  await page.getByText("EN", { exact: true }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("E-mail").fill("admin@ocop.demo");
  await page.getByLabel("Password").fill("OcopDemo@2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("cell", { name: "halong@ocop.demo" })).toBeVisible();
  await expect(page.locator(".ant-table-tbody").getByText(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/).first()).toBeVisible();
});

test("a commune officer's navigation and buttons follow the role and the area", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Email").fill("halong@ocop.demo");
  await page.getByLabel("Mật khẩu").fill("OcopDemo@2026");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByText("Phường Hạ Long").first()).toBeVisible();
  const nav = page.getByRole("menu", { name: "main navigation" });
  await expect(nav.getByRole("link", { name: "Đơn vị hành chính" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Tài khoản" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Nhật ký thay đổi" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Đối tác, khóa API" })).toHaveCount(0);
  // Admin pages are not reachable by URL either.
  await page.goto("/users");
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/partners");
  await expect(page).toHaveURL(/\/$/);

  await page.goto("/admin-units");
  const drawer = page.locator(".ant-drawer-content");
  // Own ward: nothing below it to add, and the ward itself is the province's to edit.
  await page.locator(".ant-tree").getByText("Phường Hạ Long (06688)").click();
  await expect(drawer).toContainText("/22/06688/");
  await expect(drawer.getByRole("button", { name: "Thêm đơn vị trực thuộc" })).toHaveCount(0);
  await expect(drawer.getByRole("button", { name: "Sửa" })).toHaveCount(0);
  await page.keyboard.press("Escape");
  // Another ward: neither.
  await page.locator(".ant-tree").getByText("Phường Hồng Gai (06685)").click();
  await expect(drawer).toContainText("/22/06685/");
  await expect(drawer.getByRole("button", { name: "Thêm đơn vị trực thuộc" })).toHaveCount(0);
  await expect(drawer.getByRole("button", { name: "Sửa" })).toHaveCount(0);
});

test("a reload and a second tab stay signed in from the refresh cookie, which no script can read", async ({ page, context }) => {
  await signIn(page, "tinh@ocop.demo");
  expect(await page.evaluate(() => document.cookie)).not.toContain("ocop_refresh");
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain("token");
  const second = await context.newPage();
  await second.goto("/");
  await expect(second.getByRole("heading", { name: /Xin chào/ })).toBeVisible();
  // Both tabs refresh at once: one after the other, neither is taken for a thief.
  await Promise.all([page.reload(), second.reload()]);
  await expect(page.getByRole("heading", { name: /Xin chào/ })).toBeVisible();
  await expect(second.getByRole("heading", { name: /Xin chào/ })).toBeVisible();
  await signOut(page);
  await second.reload();
  await expect(second.getByRole("heading", { name: "Đăng nhập" })).toBeVisible();
});
