import { expect, test } from "@playwright/test";
import { signIn } from "./session";

test("an admin registers a portal and issues a key that is shown once and works", async ({ page, request }) => {
  await signIn(page, "admin@ocop.demo");
  await page.getByRole("menu", { name: "main navigation" }).getByRole("link", { name: "Đối tác, khóa API" }).click();
  await page.getByRole("button", { name: "Đăng ký đối tác" }).click();
  const form = page.getByRole("dialog");
  await form.getByLabel("Tên đối tác").fill("Sàn TMĐT Hạ Long");
  await form.getByLabel("Email liên hệ kỹ thuật").fill("kythuat@san-halong.vn");
  await form.getByRole("button", { name: "Lưu" }).click();
  await page.getByRole("cell", { name: "Sàn TMĐT Hạ Long", exact: true }).click();

  await page.getByRole("button", { name: "Cấp khóa" }).click();
  await page.getByRole("dialog").getByLabel("Tên khóa").fill("Đồng bộ danh mục");
  await page.getByRole("dialog").getByRole("button", { name: "Lưu" }).click();
  const secret = (await page.getByTestId("secret").innerText()).trim();
  expect(secret).toMatch(/^ocop_[A-Za-z0-9_-]{40}$/);
  await expect(page.getByRole("dialog").getByText("Chuỗi bí mật này chỉ hiển thị một lần")).toBeVisible();
  await page.getByRole("dialog").getByRole("button", { name: "OK" }).click();
  const row = page.getByRole("row", { name: /Đồng bộ danh mục/ });
  await expect(row).toContainText("Đang dùng");
  await expect(row).toContainText(secret.slice(0, 12));
  // Nowhere else is the secret shown again.
  await expect(page.getByText(secret)).toHaveCount(0);

  const me = await request.get("/api/v1/partner/me", { headers: { "X-API-Key": secret } });
  expect(me.status()).toBe(200);
  expect((await me.json()).partner.name).toBe("Sàn TMĐT Hạ Long");
});
