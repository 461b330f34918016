import { expect, test, type Page } from "@playwright/test";
import { signIn, signOut } from "./session";

function pdf(name: string) {
  return { name, mimeType: "application/pdf", buffer: Buffer.from(`%PDF-1.4\n% ${name}\n%%EOF\n`) };
}

const KINDS = {
  idea: "Phiếu đăng ký ý tưởng sản phẩm / sản phẩm",
  plan: "Phương án, dự án sản xuất kinh doanh",
  profile: "Bản giới thiệu về tổ chức, cá nhân",
  registration: "Bản sao giấy đăng ký kinh doanh",
};

async function progressTotal(page: Page) {
  await page.getByRole("link", { name: "Tiến độ" }).click();
  const total = page.getByTestId("progress-total").locator(".ant-statistic-content-value");
  await expect(total).toBeVisible();
  return total;
}

async function openOnBoard(page: Page, column: string, product: string) {
  await page.getByRole("link", { name: "Chu trình OCOP" }).click();
  await page.getByTestId(`column-${column}`).getByRole("link", { name: product }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`Hồ sơ: ${product}`) })).toBeVisible();
}

test("an idea goes from the producer's portal through review and a fix to an approved plan", async ({ page }) => {
  // The ward officer's dashboard starts empty for Hạ Long.
  await signIn(page, "halong@ocop.demo");
  await expect(await progressTotal(page)).toHaveText("0");
  await signOut(page);

  // The producer registers the idea and files the four documents the plan needs.
  await signIn(page, "chuthe@ocop.demo");
  await page.getByRole("link", { name: "Hồ sơ của tôi" }).click();
  const product = page.locator("tr", { hasText: "Chả mực Hạ Long" });
  await product.getByRole("button", { name: "Đăng ký ý tưởng vào chu trình" }).click();
  await expect(page.getByRole("heading", { name: /Hồ sơ: Chả mực Hạ Long/ })).toBeVisible();
  await expect(page.getByTestId("completeness-business_plan")).toContainText("Chưa nộp");
  for (const [key, kind] of Object.entries(KINDS)) {
    const row = page.locator("tr", { hasText: kind });
    await row.locator("input[type=file]").setInputFiles(pdf(`${key}.pdf`));
    await expect(row.getByText(`${key}.pdf`)).toBeVisible();
  }
  await expect(page.getByTestId("completeness-business_plan")).toContainText("Đã nộp đủ");
  await page.getByTestId("moves").getByRole("button", { name: "Nộp phương án" }).click();
  await expect(page.getByText("Đã nộp phương án").first()).toBeVisible();
  await signOut(page);

  // The officer finds it in the review queue, accepts three documents and asks for a fix.
  await signIn(page, "halong@ocop.demo");
  await page.getByRole("link", { name: "Thẩm định hồ sơ" }).click();
  await page.locator("tr", { hasText: "22-000-06688-" }).getByRole("link", { name: "Chả mực Hạ Long" }).click();
  await expect(page.getByRole("heading", { name: /Hồ sơ: Chả mực Hạ Long/ })).toBeVisible();
  for (const kind of [KINDS.idea, KINDS.profile, KINDS.registration]) {
    const row = page.locator("tr", { hasText: kind });
    await row.getByRole("button", { name: /Đạt/ }).click();
    await expect(row.getByRole("button", { name: /Đạt/ })).toHaveCount(0);
  }
  const plan = page.locator("tr", { hasText: KINDS.plan });
  await plan.getByRole("button", { name: /Yêu cầu bổ sung/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Nội dung cần bổ sung").fill("Bổ sung kế hoạch tài chính 3 năm");
  await dialog.getByRole("button", { name: "Yêu cầu bổ sung" }).click();
  await expect(plan.getByText("Cần bổ sung")).toBeVisible();
  await page.getByTestId("moves").getByRole("button", { name: "Duyệt phương án" }).click();
  await expect(page.getByText(/Hồ sơ chưa đủ/)).toBeVisible();
  await signOut(page);

  // The producer sees the comment and replaces the file.
  await signIn(page, "chuthe@ocop.demo");
  await page.getByRole("link", { name: "Hồ sơ của tôi" }).click();
  await page.locator("tr", { hasText: "Chả mực Hạ Long" }).getByRole("link", { name: "Mở hồ sơ" }).click();
  const returned = page.locator("tr", { hasText: KINDS.plan });
  await expect(returned).toContainText("Bổ sung kế hoạch tài chính 3 năm");
  await returned.locator("input[type=file]").first().setInputFiles(pdf("plan-v2.pdf"));
  await expect(returned.getByText("plan-v2.pdf")).toBeVisible();
  await expect(returned.getByText("Cần bổ sung")).toHaveCount(0);
  await signOut(page);

  // The officer accepts the new file and approves the plan; the dashboard counts it.
  await signIn(page, "halong@ocop.demo");
  await openOnBoard(page, "plan_submitted", "Chả mực Hạ Long");
  await page.locator("tr", { hasText: KINDS.plan }).getByRole("button", { name: /Đạt/ }).click();
  await expect(page.getByTestId("completeness-business_plan")).toContainText("Đã được duyệt đủ");
  await page.getByTestId("moves").getByRole("button", { name: "Duyệt phương án" }).click();
  await expect(page.getByText("Phương án được duyệt").first()).toBeVisible();
  await expect(page.locator(".ant-timeline")).toContainText("Cán bộ phường Hạ Long (demo)");
  await expect(await progressTotal(page)).toHaveText("1");
  await expect(page.getByTestId("progress-total")).toContainText("Phường Hạ Long");

  // Moves without a reason can be made straight from the board.
  await page.getByRole("link", { name: "Chu trình OCOP" }).click();
  await page.getByTestId("column-plan_approved").getByRole("button", { name: "Bắt đầu triển khai" }).click();
  await expect(page.getByTestId("column-implementing")).toContainText("Chả mực Hạ Long");
  await expect(page.getByTestId("column-plan_approved")).not.toContainText("Chả mực Hạ Long");
});

test("products are found without diacritics and exported", async ({ page }) => {
  await signIn(page, "tinh@ocop.demo");
  await page.getByRole("link", { name: "Sản phẩm", exact: true }).click();
  const search = page.getByPlaceholder("Gõ có dấu hoặc không dấu, ví dụ: ha long");
  await search.fill("cha muc ha long");
  await search.press("Enter");
  const rows = page.locator(".ant-table-tbody tr.ant-table-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Chả mực Hạ Long");
  await expect(rows.first()).toContainText("450.000 ₫");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: /Xuất Excel/ }).click();
  expect((await download).suggestedFilename()).toMatch(/^san-pham-\d{8}\.xlsx$/);
});

test("an admin extends the classification's document kinds", async ({ page }) => {
  await signIn(page, "admin@ocop.demo");
  await page.getByRole("link", { name: "Phân loại sản phẩm" }).click();
  await expect(page.locator(".ant-tree")).toContainText("1.3.5 Chế biến từ thủy, hải sản");
  const kinds = page.locator(".ant-card", { hasText: "Danh mục tài liệu hồ sơ" });
  await kinds.getByRole("button", { name: /Thêm mới/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Mã").fill("vietgap_certificate");
  await dialog.getByLabel("Tên (tiếng Việt)").fill("Giấy chứng nhận VietGAP");
  await dialog.getByLabel("Tên (tiếng Anh)").fill("VietGAP certificate");
  await dialog.getByRole("button", { name: "Lưu" }).click();
  await expect(kinds.locator("tr", { hasText: "vietgap_certificate" })).toContainText("Minh chứng");
});
