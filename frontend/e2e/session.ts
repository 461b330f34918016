// Signing in and out as the demo accounts, shared by the specs.
import { expect, type Page } from "@playwright/test";

const PASSWORD = "OcopDemo@2026";

export async function signIn(page: Page, email: string) {
  await page.goto("/");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu").fill(PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { name: /Xin chào/ })).toBeVisible();
}

/** The account menu opens with an animation; retry until we are really signed out. */
export async function signOut(page: Page) {
  const heading = page.getByRole("heading", { name: "Đăng nhập" });
  await expect(async () => {
    if (await heading.isVisible()) return;
    await page.getByTestId("user-menu").click();
    await page.getByRole("menuitem", { name: "Đăng xuất" }).click({ timeout: 3_000 });
    await expect(heading).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
}
