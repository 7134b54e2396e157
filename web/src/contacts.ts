// Contacts, on the preferences page: where the channels beyond the app reach the user.
// GET/PUT /api/contacts replace the whole set ({email, devices}), so every PUT sends back the
// devices the server last answered with (the e-mail form) or the e-mail it last stored (removing a
// device). Devices are registered by the native apps; here they are only listed and removed.
// POST /api/channels/wecom/link hands out a one-time WeCom customer-service link (404: channel off).

import { ApiError, describe, get, post, put } from "./api";
import { h, replaceChildren } from "./dom";
import { clearErrors, field, showErrors } from "./forms";
import { formatTime, t, type MessageKey } from "./i18n";
import type { Contacts, DeviceToken, WeComLink } from "./types";

/** A token cut for display: its start and end, never the whole secret-ish string. */
export function shortToken(token: string): string {
  return token.length <= 16 ? token : `${token.slice(0, 8)}…${token.slice(-4)}`;
}

function platformName(platform: string): string {
  const key = `platform.${platform}` as MessageKey;
  const text = t(key);
  return text === key ? platform : text;
}

export function contactsSection(): HTMLElement {
  const status = h("p", { class: "section-status", role: "status" });
  const body = h("div", { class: "contacts-body" }, h("p", null, t("feed.loading")));
  const root = h("section", { class: "contacts card-form", "aria-labelledby": "contacts-title" },
    h("h2", { id: "contacts-title" }, t("contacts.title")),
    h("p", { class: "help" }, t("contacts.intro")),
    status,
    body,
  );

  let current: Contacts = { email: null, devices: [] };

  function say(text: string, error = false): void {
    status.textContent = text;
    status.classList.toggle("error", error);
  }

  async function load(): Promise<void> {
    try {
      current = normalize(await get<Contacts>("/api/contacts"));
      replaceChildren(body, emailForm(), devicesPart(), wecomPart());
    } catch (error) {
      say(t("contacts.loadFailed", { detail: describe(error) }), true);
    }
  }

  function normalize(c: Partial<Contacts> | null): Contacts {
    return { email: c?.email ?? null, devices: c?.devices ?? [] };
  }

  function emailForm(): HTMLFormElement {
    const email = h("input", { type: "email", value: current.email ?? "", autocomplete: "email", spellcheck: "false", inputmode: "email" });
    const el: HTMLFormElement = h("form", {
      class: "contacts-form", novalidate: true,
      on: {
        submit: async (e) => {
          e.preventDefault();
          clearErrors(el);
          const address = email.value.trim();
          try {
            current = normalize(await put<Contacts>("/api/contacts", { email: address === "" ? null : address, devices: current.devices }));
            email.value = current.email ?? "";
            say(t(current.email ? "contacts.saved" : "contacts.cleared"));
          } catch (error) {
            if (error instanceof ApiError && Object.keys(error.errors).length > 0) {
              const rest = showErrors(el, error.errors);
              say([t("contacts.invalid"), ...rest].join(" "), true);
            } else {
              say(describe(error), true);
            }
          }
        },
      },
    },
    field("email", t("contacts.email"), email, t("contacts.emailHelp")),
    h("button", { type: "submit", class: "primary" }, t("contacts.saveEmail")));
    return el;
  }

  function devicesPart(): HTMLElement {
    const list = h("div", { class: "devices-list" });
    const fill = () => {
      if (current.devices.length === 0) {
        replaceChildren(list, h("p", { class: "help" }, t("contacts.noDevices")));
        return;
      }
      replaceChildren(list, h("ul", { class: "devices" }, ...current.devices.map((d) => deviceItem(d))));
    };
    const deviceItem = (device: DeviceToken): HTMLLIElement => {
      const platform = platformName(device.platform);
      const token = shortToken(device.token);
      const remove: HTMLButtonElement = h("button", {
        type: "button", class: "danger", "aria-label": t("contacts.removeDeviceLabel", { platform, token }),
        on: {
          click: async () => {
            for (const b of list.querySelectorAll("button")) b.disabled = true;
            try {
              const devices = current.devices.filter((d) => d.token !== device.token);
              current = normalize(await put<Contacts>("/api/contacts", { email: current.email, devices }));
              fill();
              say(t("contacts.deviceRemoved"));
            } catch (error) {
              for (const b of list.querySelectorAll("button")) b.disabled = false;
              say(describe(error), true);
            }
          },
        },
      }, t("contacts.removeDevice"));
      return h("li", { class: "device", dataset: { platform: device.platform } },
        h("span", { class: "device-name" },
          h("strong", null, platform), " ",
          h("code", { class: "device-token", title: token }, token)),
        remove);
    };
    fill();
    return h("section", { class: "contacts-part", "aria-labelledby": "devices-title" },
      h("h3", { id: "devices-title" }, t("contacts.devices")),
      h("p", { class: "help" }, t("contacts.devicesHelp")),
      list);
  }

  function wecomPart(): HTMLElement {
    const result = h("div", { class: "wecom-result", "aria-live": "polite" });
    const button: HTMLButtonElement = h("button", {
      type: "button", class: "secondary",
      on: {
        click: async () => {
          button.disabled = true;
          try {
            const link = await post<WeComLink>("/api/channels/wecom/link");
            const url = safeUrl(link?.url);
            if (!url) throw new Error(t("error.generic", { status: 200 }));
            replaceChildren(result,
              h("p", null, t("contacts.wecomOpen")),
              h("p", { class: "wecom-link" }, h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, url)),
              h("p", { class: "help" }, h("time", { datetime: link.expiresAt }, t("contacts.wecomExpires", { time: formatTime(link.expiresAt) }))));
            button.disabled = false;
          } catch (error) {
            if (error instanceof ApiError && error.status === 404) {
              button.hidden = true;
              replaceChildren(result, h("p", { class: "wecom-off" }, t("contacts.wecomOff")));
            } else {
              button.disabled = false;
              say(describe(error), true);
            }
          }
        },
      },
    }, t("contacts.wecomLink"));
    return h("section", { class: "contacts-part", "aria-labelledby": "wecom-title" },
      h("h3", { id: "wecom-title" }, t("contacts.wecom")),
      h("p", { class: "help" }, t("contacts.wecomHelp")),
      button,
      result);
  }

  void load();
  return root;
}

/** Only an http(s) URL becomes a link (never javascript: or data:). */
function safeUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? value : null;
  } catch {
    return null;
  }
}
