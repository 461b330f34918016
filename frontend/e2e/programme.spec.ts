import { expect, test } from "@playwright/test";
import { signIn } from "./session";

test("an officer reads the dashboard, a report with its PDF, and records a budget line", async ({ page }) => {
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await signIn(page, "tinh@ocop.demo");
  // The dashboard's chart and map load after the page.
  await expect(page.getByRole("img", { name: "Sản phẩm đạt OCOP theo địa bàn" })).toBeVisible();

  await page.getByRole("link", { name: "Báo cáo" }).click();
  const table = page.getByTestId("report-table");
  await expect(table).toContainText("Tổng cộng");
  await expect(page.getByText("Sản phẩm OCOP theo hạng sao và nhóm")).toBeVisible();
  await page.getByTestId("report-kind").click();
  await page.locator(".ant-select-item-option", { hasText: "Chủ thể theo loại hình, nâng cấp" }).click();
  await expect(table).toContainText("Hợp tác xã");
  const download = page.waitForEvent("download");
  await page.getByTestId("report-pdf").click();
  expect((await download).suggestedFilename()).toMatch(/^bao-cao-chu-the-22-\d{8}\.pdf$/);

  await page.getByRole("link", { name: "Nguồn vốn" }).click();
  await page.getByRole("button", { name: "Thêm dòng vốn" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Diễn giải").fill("Hỗ trợ xây dựng điểm bán OCOP");
  await dialog.getByLabel("Kế hoạch (₫)").fill("500000000");
  await dialog.getByLabel("Đã phân bổ (₫)").fill("400000000");
  await dialog.getByLabel("Đã giải ngân (₫)").fill("100000000");
  await dialog.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByRole("cell", { name: "Hỗ trợ xây dựng điểm bán OCOP" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "500.000.000 ₫" })).toBeVisible();
  expect(pageErrors).toEqual([]);
});
