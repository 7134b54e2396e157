import { expect, newUserId, signIn, test } from "./support/fixtures";

interface Contacts {
  email: string | null;
  devices: { token: string; platform: string }[];
}

test.describe("contacts on the preferences page", () => {
  test("an e-mail address saved survives a reload and keeps the devices", async ({ page, api }) => {
    const user = newUserId("contacts");
    const token = await api.token(user);
    const device = { token: "fcm-token-kept-0123456789abcdef", platform: "android" };
    await api.ok(token, "PUT", "/api/contacts", { email: null, devices: [device] });
    await signIn(page, user);
    await page.getByRole("link", { name: "Preferences" }).click();

    const section = page.getByRole("region", { name: "Contacts" });
    const email = section.getByLabel("E-mail address");
    await expect(email).toHaveValue("");
    await expect(section.locator("li.device")).toHaveCount(1);
    await email.fill("ada@example.com");
    await section.getByRole("button", { name: "Save e-mail address" }).click();
    await expect(section.locator(".section-status")).toHaveText("E-mail address saved.");
    expect(await api.ok<Contacts>(token, "GET", "/api/contacts")).toEqual({ email: "ada@example.com", devices: [device] });

    await page.reload();
    await expect(page.getByRole("region", { name: "Contacts" }).getByLabel("E-mail address")).toHaveValue("ada@example.com");

    // Empty removes the address, the device stays.
    await email.fill("");
    await section.getByRole("button", { name: "Save e-mail address" }).click();
    await expect(section.locator(".section-status")).toHaveText("E-mail address removed.");
    const after = await api.ok<Contacts>(token, "GET", "/api/contacts");
    expect(after.email ?? null).toBeNull();
    expect(after.devices).toEqual([device]);
  });

  test("an invalid e-mail address shows the server's message by the field and stores nothing", async ({ page, api }) => {
    const user = newUserId("badmail");
    const token = await api.token(user);
    await api.ok(token, "PUT", "/api/contacts", { email: "old@example.com", devices: [] });
    await signIn(page, user);
    await page.getByRole("link", { name: "Preferences" }).click();

    const section = page.getByRole("region", { name: "Contacts" });
    const email = section.getByLabel("E-mail address");
    await expect(email).toHaveValue("old@example.com");
    await email.fill("Ada <ada@example");
    await section.getByRole("button", { name: "Save e-mail address" }).click();

    const error = section.locator('[data-field="email"] .field-error');
    await expect(error).toHaveText(/email must be a single e-mail address/);
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await expect(email).toHaveAccessibleDescription(/email must be a single e-mail address/);
    await expect(email).toBeFocused();
    await expect(section.locator(".section-status")).toHaveText(/The contacts were not saved/);
    expect(await api.ok<Contacts>(token, "GET", "/api/contacts")).toEqual({ email: "old@example.com", devices: [] });

    // Fixed: the message goes.
    await email.fill("ada@example.com");
    await section.getByRole("button", { name: "Save e-mail address" }).click();
    await expect(section.locator(".section-status")).toHaveText("E-mail address saved.");
    await expect(error).toBeHidden();
    await expect(email).not.toHaveAttribute("aria-invalid", "true");
  });

  test("devices registered through the API are listed, shortened, and removed from the page", async ({ page, api }) => {
    const user = newUserId("devices");
    const token = await api.token(user);
    const ios = { token: "apns-0123456789abcdef0123456789abcdef-ios", platform: "ios" };
    const web = { token: "short-web", platform: "web" };
    await api.ok(token, "PUT", "/api/contacts", { email: "dev@example.com", devices: [ios, web] });
    await signIn(page, user);
    await page.getByRole("link", { name: "Preferences" }).click();

    const section = page.getByRole("region", { name: "Contacts" });
    const devices = section.locator("li.device");
    await expect(devices).toHaveCount(2);
    await expect(devices.nth(0)).toContainText("iOS");
    await expect(devices.nth(0).locator(".device-token")).toHaveText("apns-012…-ios");
    await expect(devices.nth(0)).not.toContainText(ios.token);
    await expect(devices.nth(1)).toContainText("Web");
    await expect(devices.nth(1).locator(".device-token")).toHaveText("short-web");

    await section.getByRole("button", { name: "Remove iOS device apns-012…-ios" }).click();
    await expect(section.locator(".section-status")).toHaveText("Device removed.");
    await expect(devices).toHaveCount(1);
    expect(await api.ok<Contacts>(token, "GET", "/api/contacts")).toEqual({ email: "dev@example.com", devices: [web] });

    await page.reload();
    await expect(section.locator("li.device")).toHaveCount(1);
    await section.getByRole("button", { name: "Remove Web device short-web" }).click();
    await expect(section.getByText("No devices registered.")).toBeVisible();
    expect(await api.ok<Contacts>(token, "GET", "/api/contacts")).toEqual({ email: "dev@example.com", devices: [] });
  });

  test("Link WeCom says the channel is not set up when the server has no WeCom settings", async ({ page, api }) => {
    const user = newUserId("wecom");
    const token = await api.token(user);
    expect((await api.call(token, "POST", "/api/channels/wecom/link")).status).toBe(404);
    await signIn(page, user);
    await page.getByRole("link", { name: "Preferences" }).click();

    const section = page.getByRole("region", { name: "Contacts" });
    const link = section.getByRole("button", { name: "Link WeCom" });
    await expect(link).toBeVisible();
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/channels/wecom/link") && r.request().method() === "POST");
    await link.click();
    expect((await answer).status()).toBe(404);
    await expect(section.getByText("WeCom is not set up on this server.")).toBeVisible();
    await expect(link).toBeHidden();
    await expect(section.locator(".section-status")).toBeEmpty();
  });

  test("the WeCom link opens in a new tab, without an opener, with its expiry", async ({ page }) => {
    // The test host has no WeCom settings: the server's answer is stood in for this one request.
    const url = "https://work.weixin.qq.com/kfid/kfc0123456789?enc_scene=ENC&scene_param=abc123";
    const expiresAt = new Date(Date.now() + 10 * 60_000).toISOString();
    await page.route("**/api/channels/wecom/link", (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ url, expiresAt }) }));
    await signIn(page, newUserId("wecomlink"));
    await page.getByRole("link", { name: "Preferences" }).click();

    const section = page.getByRole("region", { name: "Contacts" });
    await section.getByRole("button", { name: "Link WeCom" }).click();
    const anchor = section.getByRole("link", { name: url });
    await expect(anchor).toHaveAttribute("href", url);
    await expect(anchor).toHaveAttribute("target", "_blank");
    await expect(anchor).toHaveAttribute("rel", "noopener noreferrer");
    await expect(section.locator(".wecom-result time")).toHaveAttribute("datetime", expiresAt);
    await expect(section.locator(".wecom-result time")).toHaveText(/^Valid until .+\.$/);
  });

  test("zh-CN labels", async ({ page }) => {
    await signIn(page, newUserId("contactszh"));
    await page.getByRole("link", { name: "Preferences" }).click();
    await page.getByLabel("Language").selectOption("zh-CN");
    await page.getByRole("button", { name: "Save preferences" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "偏好设置" })).toBeVisible();
    const section = page.getByRole("region", { name: "联系方式" });
    await expect(section.getByLabel("电子邮件地址")).toBeVisible();
    await expect(section.getByRole("button", { name: "关联企业微信" })).toBeVisible();
    await expect(section.getByText("尚未注册设备。")).toBeVisible();
  });
});
