import { card, expect, newUserId, signIn, test } from "./support/fixtures";

test.describe("content security", () => {
  test("the CSP meta tag allows no inline script; Trusted Types refuse HTML strings; no inline handlers anywhere", async ({ page, api, baseURL, guard }) => {
    const html = await (await fetch(`${baseURL}/`)).text();
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(csp).toBeTruthy();
    const directives = Object.fromEntries(csp!.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives["default-src"]).toEqual(["'none'"]);
    expect(directives["script-src"]).toEqual(["'self'"]);
    expect(directives["style-src"]).toEqual(["'self'"]);
    expect(directives["require-trusted-types-for"]).toEqual(["'script'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script has a src
    expect(html).not.toMatch(/\son[a-z]+\s*=/i); // no inline handlers

    const user = newUserId("csp");
    const token = await api.token(user);
    await api.prepareUser(token);
    await api.missedHabit(token, "Tea, not coffee");
    await signIn(page, user);
    await api.scanAll();
    const stored = await api.waitForPrompt(token, (p) => p.type === "habit_missed");
    await expect(card(page, stored.id)).toBeVisible();

    // The rendered app has no on* attributes at all.
    expect(await page.evaluate(() => [...document.querySelectorAll("*")].flatMap((e) => e.getAttributeNames().filter((n) => n.startsWith("on"))))).toEqual([]);

    // An HTML string assignment is refused outright, and an inline script does not run.
    guard.allow.push(/TrustedHTML|TrustedScript|Trusted Type|require-trusted-types-for|script-src|inline script/i);
    const outcome = await page.evaluate(() => {
      const results: string[] = [];
      try {
        document.createElement("div").innerHTML = "<img src=x onerror=alert(1)>";
        results.push("innerHTML accepted");
      } catch (e) {
        results.push(`innerHTML: ${(e as Error).name}`);
      }
      const meta = document.createElement("a");
      meta.setAttribute("href", "#");
      try {
        meta.setAttribute("onclick", "window.__ran = true");
        meta.click();
      } catch {
        /* refused */
      }
      results.push(`inline handler ran: ${String((window as unknown as { __ran?: boolean }).__ran === true)}`);
      return results;
    });
    expect(outcome).toEqual(["innerHTML: TypeError", "inline handler ran: false"]);
  });
});

test.describe("OpenID Connect sign-in", () => {
  const authority = "https://login.microsoftonline.com/test-tenant/v2.0";

  test("with /config.json naming an authority, sign-in goes through the code flow with PKCE and the API takes the token", async ({ page, api, baseURL }) => {
    const user = newUserId("oidc");
    const accessToken = await api.token(user);
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "*" };
    let authorize: URL | null = null;
    let tokenRequest: URLSearchParams | null = null;

    // The identity provider is stood in for by routes (this machine has no network); the access
    // token it hands out is one the local host signs, so the API accepts it as this user.
    await page.route(`${baseURL}/config.json`, (route) => route.fulfill({
      contentType: "application/json",
      body: JSON.stringify({ oidc: { authority, clientId: "client-123", scope: "openid profile api://coach/user_impersonation" } }),
    }));
    await page.route(`${authority}/.well-known/openid-configuration`, (route) => route.fulfill({
      contentType: "application/json", headers: cors,
      body: JSON.stringify({
        issuer: authority, authorization_endpoint: `${authority}/authorize`, token_endpoint: `${authority}/token`,
        jwks_uri: `${authority}/keys`, response_types_supported: ["code"], code_challenge_methods_supported: ["S256"],
      }),
    }));
    await page.route(`${authority}/authorize**`, (route) => {
      authorize = new URL(route.request().url());
      return route.fulfill({ contentType: "text/html", body: "<!doctype html><title>IdP</title><p>signing in</p>" });
    });
    await page.route(`${authority}/token`, async (route) => {
      if (route.request().method() === "OPTIONS") return route.fulfill({ status: 204, headers: { ...cors, "access-control-allow-methods": "POST" } });
      tokenRequest = new URLSearchParams(route.request().postData() ?? "");
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
      const idToken = `${b64({ alg: "none", typ: "JWT" })}.${b64({ iss: authority, aud: "client-123", sub: user, nonce: authorize?.searchParams.get("nonce") ?? undefined, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 })}.`;
      return route.fulfill({
        contentType: "application/json", headers: cors,
        body: JSON.stringify({ access_token: accessToken, id_token: idToken, token_type: "Bearer", expires_in: 3600, scope: "openid profile api://coach/user_impersonation" }),
      });
    });

    await page.goto("/");
    await page.getByRole("button", { name: "Sign in with your organisation" }).click();
    await page.waitForURL(`${authority}/authorize**`);
    const request = authorize as URL | null;
    expect(request).not.toBeNull();
    expect(request!.searchParams.get("response_type")).toBe("code");
    expect(request!.searchParams.get("client_id")).toBe("client-123");
    expect(request!.searchParams.get("redirect_uri")).toBe(`${baseURL}/`);
    expect(request!.searchParams.get("code_challenge_method")).toBe("S256");
    expect(request!.searchParams.get("code_challenge")).toBeTruthy();

    // The provider sends the browser back with a code.
    await page.goto(`/?code=the-code&state=${request!.searchParams.get("state")}`);
    await expect(page.getByRole("heading", { level: 1, name: "Your coach" })).toBeVisible();
    await expect(page.getByText(`Signed in as ${user}`)).toBeVisible();
    await expect(page.locator("#conn")).toHaveAttribute("data-status", "connected");
    const sent = tokenRequest as URLSearchParams | null;
    expect(sent?.get("grant_type")).toBe("authorization_code");
    expect(sent?.get("code")).toBe("the-code");
    expect(sent?.get("code_verifier")).toBeTruthy();
    // The code is gone from the address bar; the token was never in it.
    expect(page.url()).not.toContain("code=");
    expect(page.url()).not.toContain(accessToken);
  });
});
