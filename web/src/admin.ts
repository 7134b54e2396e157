// Admin: GET /api/admin/stats as charts (chart.js, loaded with this page only) and figures, each
// chart with its numbers in a table for those who cannot see it.

import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, Tooltip,
} from "chart.js";
import { ApiError, describe, get, post } from "./api";
import type { PageContext } from "./context";
import { h, replaceChildren, uid } from "./dom";
import { locale, t, type MessageKey } from "./i18n";
import type { AdminStats, Counts } from "./types";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Tooltip, Legend);

const PALETTE = ["#1f6f5c", "#d9822b", "#3a6ea5", "#b5485b", "#7a5ea8", "#5b8c2a", "#a0742d", "#4d7f8c"];

export function adminPage(_ctx: PageContext): HTMLElement {
  let charts: Chart[] = [];
  const status = h("p", { class: "page-status", role: "status" });
  const days = h("select", null, ...[1, 7, 30, 90].map((n) => h("option", { value: String(n) }, t("admin.daysOption", { n }))));
  days.value = "7";
  const daysId = uid("days");
  days.id = daysId;
  const body = h("div", { class: "admin-body" });
  const root = h("section", { class: "admin", "aria-labelledby": "admin-title" },
    h("h1", { id: "admin-title", class: "page-title" }, t("admin.title")),
    h("div", { class: "admin-tools row" },
      h("div", { class: "field" }, h("label", { for: daysId }, t("admin.days")), days),
      h("button", { type: "button", class: "secondary", on: { click: () => void load() } }, t("admin.refresh")),
      h("button", { type: "button", class: "secondary", on: { click: () => void scan() } }, t("admin.scan"))),
    status,
    body,
  );
  days.addEventListener("change", () => void load());

  async function load(): Promise<void> {
    try {
      const stats = await get<AdminStats>(`/api/admin/stats?days=${days.value}`);
      render(stats);
    } catch (error) {
      status.textContent = error instanceof ApiError && error.status === 403 ? t("admin.forbidden") : t("admin.loadFailed", { detail: describe(error) });
    }
  }

  async function scan(): Promise<void> {
    try {
      const result = await post<{ shardsQueued: number }>("/api/admin/scan", { all: true });
      status.textContent = t("admin.scanQueued", { n: result.shardsQueued });
    } catch (error) {
      status.textContent = describe(error);
    }
  }

  function render(s: AdminStats): void {
    for (const c of charts) c.destroy();
    charts = [];
    const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? t("admin.none") : new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n));
    const figures: [MessageKey, string][] = [
      ["admin.generated", fmt(s.generated.total, 0)],
      ["admin.responseRate", s.responses.rate === null ? t("admin.none") : new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 }).format(s.responses.rate)],
      ["admin.responseTime", [s.responses.timeSeconds.p50, s.responses.timeSeconds.p90, s.responses.timeSeconds.p99].map((v) => fmt(v)).join(" / ")],
      ["admin.llmRequests", fmt(s.llm.requests, 0)],
      ["admin.llmFallbacks", fmt(s.llm.fallbacks, 0)],
      ["admin.llmTokens", fmt(s.llm.tokens.total, 0)],
      ["admin.llmLatency", `${fmt(s.llm.latencyAverageSeconds, 2)} / ${fmt(s.llm.latencyP95Seconds, 2)}`],
      ["admin.scanUsers", `${fmt(s.scan.usersRead, 0)} / ${fmt(s.scan.usersDue, 0)} / ${fmt(s.scan.detections, 0)}`],
    ];
    replaceChildren(body,
      h("section", { class: "figures", "aria-labelledby": "figures-title" },
        h("h2", { id: "figures-title" }, t("admin.figures")),
        h("dl", null, ...figures.flatMap(([k, v]) => [h("dt", null, t(k)), h("dd", null, v)]))),
      h("div", { class: "charts" },
        chart("admin.generatedByType", s.generated.byType, "bar", (k) => t(`type.${k}` as MessageKey)),
        chart("admin.transitions", s.transitions, "bar"),
        chart("admin.responses", s.responses.byAction, "doughnut"),
        chart("admin.suppressed", s.suppressed.byReason, "bar"),
        chart("admin.channels", s.deliveredByChannel, "doughnut", (k) => t(`channel.${k}` as MessageKey)),
        chart("admin.channelFailures", s.failedByChannel, "bar", (k) => t(`channel.${k}` as MessageKey))),
    );
  }

  function chart(titleKey: MessageKey, counts: Counts, kind: "bar" | "doughnut", label: (key: string) => string = (k) => k): HTMLElement {
    const entries = Object.entries(counts ?? {});
    const labels = entries.map(([k]) => {
      const l = label(k);
      return l.startsWith("type.") || l.startsWith("channel.") ? k : l;
    });
    const values = entries.map(([, v]) => v);
    const title = t(titleKey);
    const summary = entries.length ? entries.map(([k, v], i) => `${labels[i] ?? k}: ${v}`).join(", ") : t("admin.none");
    const canvas = h("canvas", { role: "img", "aria-label": `${title}: ${summary}` });
    const figure = h("figure", { class: "chart", dataset: { chart: titleKey } },
      h("figcaption", null, title),
      h("div", { class: "chart-canvas" }, canvas),
      h("details", null,
        h("summary", null, t("admin.data")),
        h("table", null,
          h("thead", null, h("tr", null, h("th", { scope: "col" }, t("admin.key")), h("th", { scope: "col" }, t("admin.count")))),
          h("tbody", null, ...entries.map(([k, v], i) => h("tr", null, h("th", { scope: "row" }, labels[i] ?? k), h("td", null, String(v))))))),
    );
    queueMicrotask(() => {
      charts.push(new Chart(canvas, {
        type: kind,
        data: { labels, datasets: [{ label: title, data: values, backgroundColor: kind === "bar" ? PALETTE[0] : PALETTE.slice(0, values.length) }] },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: kind === "doughnut", position: "bottom" } },
          ...(kind === "bar" ? { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } : {}),
        },
      }));
    });
    return figure;
  }

  void load();
  return root;
}
