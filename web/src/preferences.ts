// Preferences: every field of GET/PUT /api/preferences, with the server's messages by the field,
// then the contacts the channels use (src/contacts.ts) and what was learned from feedback.
// The browser does not validate (novalidate): the server's rules are the rules, and its words are shown.

import { ApiError, del, describe, get, put } from "./api";
import { contactsSection } from "./contacts";
import type { PageContext } from "./context";
import { h, replaceChildren } from "./dom";
import { checkbox, clearErrors, field, group, showErrors } from "./forms";
import { t } from "./i18n";
import { CHANNELS, PROMPT_TYPES, WEEKDAYS, type Preferences } from "./types";

export function preferencesPage(ctx: PageContext): HTMLElement {
  const status = h("p", { class: "page-status", role: "status" });
  const body = h("div", { class: "prefs-body" }, h("p", null, t("feed.loading")));
  const root = h("section", { class: "preferences", "aria-labelledby": "prefs-title" },
    h("h1", { id: "prefs-title", class: "page-title" }, t("prefs.title")),
    status,
    body,
  );

  function say(text: string, error = false): void {
    status.textContent = text;
    status.classList.toggle("error", error);
  }

  async function load(): Promise<void> {
    try {
      const prefs = await get<Preferences>("/api/preferences");
      ctx.setPreferences(prefs);
      replaceChildren(body, form(prefs), contactsSection(), learned(prefs));
    } catch (error) {
      say(t("prefs.loadFailed", { detail: describe(error) }), true);
    }
  }

  function form(p: Preferences): HTMLFormElement {
    const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
    const timeZone = h("input", { type: "text", value: p.timeZone, list: "time-zones", autocomplete: "off", spellcheck: "false" });
    const locale = h("select", null, h("option", { value: "en" }, "English"), h("option", { value: "zh-CN", lang: "zh-CN" }, "简体中文"));
    locale.value = p.locale;
    const preferredTime = h("input", { type: "time", value: p.preferredTime });
    const maxPerDay = h("input", { type: "number", inputmode: "numeric", value: p.maxPerDay, min: "1", max: "20" });
    const maxPerHour = h("input", { type: "number", inputmode: "numeric", value: p.maxPerHour, min: "1", max: "10" });
    const minInterval = h("input", { type: "number", inputmode: "numeric", value: p.minIntervalMinutes, min: "0", max: "720" });
    const quietEnabled = checkbox("quietEnabled", t("prefs.quietEnabled"), p.quietHours.enabled);
    const quietStart = h("input", { type: "time", value: p.quietHours.start });
    const quietEnd = h("input", { type: "time", value: p.quietHours.end });
    const reviewDay = h("select", null, ...WEEKDAYS.map((d) => h("option", { value: d }, t(`day.${d}`))));
    reviewDay.value = p.reviewDay;
    const reviewTime = h("input", { type: "time", value: p.reviewTime });
    const custom = h("textarea", { rows: "3", maxlength: "600" });
    custom.value = p.customInstructions ?? "";
    const types = h("div", { class: "choices" }, ...PROMPT_TYPES.map((type) => checkbox("enabledTypes", t(`type.${type}`), p.enabledTypes.includes(type), type)));
    const channels = h("div", { class: "choices" }, ...CHANNELS.map((c) => checkbox("channels", t(`channel.${c}`), p.channels.includes(c), c)));

    const number = (input: HTMLInputElement) => (input.value.trim() === "" ? null : Number(input.value));
    const values = (container: HTMLElement) => [...container.querySelectorAll<HTMLInputElement>("input:checked")].map((i) => i.value);

    const el: HTMLFormElement = h("form", {
      class: "prefs-form card-form", novalidate: true,
      on: {
        submit: async (e) => {
          e.preventDefault();
          clearErrors(el);
          const update = {
            timeZone: timeZone.value.trim(),
            locale: locale.value,
            preferredTime: preferredTime.value,
            enabledTypes: values(types),
            maxPerDay: number(maxPerDay),
            maxPerHour: number(maxPerHour),
            minIntervalMinutes: number(minInterval),
            quietHours: { enabled: quietEnabled.querySelector("input")!.checked, start: quietStart.value, end: quietEnd.value },
            channels: values(channels),
            reviewDay: reviewDay.value,
            reviewTime: reviewTime.value,
            customInstructions: custom.value,
          };
          try {
            const saved = await put<Preferences>("/api/preferences", update);
            // A new language re-renders the app (this page included), which then shows the message.
            if (ctx.setPreferences(saved)) ctx.flash(t("prefs.saved"));
            else {
              say(t("prefs.saved"));
              ctx.operationDone("preferences");
            }
          } catch (error) {
            if (error instanceof ApiError && Object.keys(error.errors).length > 0) {
              const rest = showErrors(el, error.errors);
              say([t("prefs.invalid"), ...rest].join(" "), true);
            } else {
              say(describe(error), true);
            }
          }
        },
      },
    },
    h("datalist", { id: "time-zones" }, ...zones.map((z) => h("option", { value: z }))),
    h("div", { class: "row" },
      field("timeZone", t("prefs.timeZone"), timeZone, t("prefs.timeZoneHelp")),
      field("locale", t("prefs.locale"), locale)),
    h("div", { class: "row" },
      field("preferredTime", t("prefs.preferredTime"), preferredTime),
      field("reviewDay", t("prefs.reviewDay"), reviewDay),
      field("reviewTime", t("prefs.reviewTime"), reviewTime)),
    group("enabledTypes", t("prefs.enabledTypes"), types),
    group("limits", t("prefs.limits"), h("div", { class: "row" },
      field("maxPerDay", t("prefs.maxPerDay"), maxPerDay),
      field("maxPerHour", t("prefs.maxPerHour"), maxPerHour),
      field("minIntervalMinutes", t("prefs.minInterval"), minInterval))),
    group("quietHours", t("prefs.quietHours"), quietEnabled, h("div", { class: "row" },
      field("quietHours.start", t("prefs.quietStart"), quietStart),
      field("quietHours.end", t("prefs.quietEnd"), quietEnd))),
    group("channels", t("prefs.channels"), channels),
    field("customInstructions", t("prefs.customInstructions"), custom, t("prefs.customHelp")),
    h("button", { type: "submit", class: "primary" }, t("prefs.save")));
    return el;
  }

  function learned(p: Preferences): HTMLElement {
    const l = p.learned;
    const info = h("div", { class: "learned-info" });
    const fill = (value: Preferences["learned"]) => {
      replaceChildren(info,
        value?.style ? h("p", null, t("prefs.learnedStyle", { style: value.style })) : h("p", null, t("prefs.learnedNone")),
        value && value.rules.length ? h("ul", null, ...value.rules.map((r) => h("li", null, r))) : null,
        h("p", { class: "help" }, t("prefs.learnedCount", { n: value?.feedbackCount ?? 0 })));
    };
    fill(l);
    return h("section", { class: "learned card-form", "aria-labelledby": "learned-title" },
      h("h2", { id: "learned-title" }, t("prefs.learned")),
      info,
      h("button", {
        type: "button", class: "secondary",
        on: {
          click: async () => {
            try {
              await del("/api/preferences/learned");
              fill({ style: null, rules: [], feedbackCount: 0, updatedAt: null });
              say(t("prefs.forgotten"));
            } catch (error) {
              say(describe(error), true);
            }
          },
        },
      }, t("prefs.forget")));
  }

  void load();
  return root;
}
