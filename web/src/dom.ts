// DOM building without HTML strings: every piece of text becomes a text node (textContent), so
// nothing the server or the user wrote is ever parsed as markup. The page's CSP also enforces
// Trusted Types with no policy, so an innerHTML assignment would throw.

type Child = Node | string | number | null | undefined | false;

export interface Props {
  [attribute: string]: string | number | boolean | null | undefined | EventHandlers | Record<string, string>;
}

export type EventHandlers = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };

let idCounter = 0;

/** A page-unique id for label/aria wiring. */
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/**
 * h("button", { class: "x", type: "button", on: { click } }, "text"): attributes are set with
 * setAttribute (true: present, false/null/undefined: absent), `on` adds listeners, `dataset` sets data-*.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    for (const [name, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "on") {
        for (const [type, handler] of Object.entries(value as EventHandlers)) {
          if (handler) el.addEventListener(type, handler as EventListener);
        }
      } else if (name === "dataset") {
        for (const [key, v] of Object.entries(value as Record<string, string>)) el.dataset[key] = v;
      } else if (name === "value" && (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) {
        el.value = String(value);
      } else if (name === "checked" && el instanceof HTMLInputElement) {
        el.checked = Boolean(value);
      } else {
        el.setAttribute(name, value === true ? "" : String(value));
      }
    }
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces everything inside `parent` (no HTML parsing). */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** Text cut to at most `max` user-perceived characters (grapheme clusters), ending in an ellipsis when cut. */
export function truncateGraphemes(text: string, max: number): string {
  const graphemes = Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text.trim()), (s) => s.segment);
  if (graphemes.length <= max) return graphemes.join("");
  return graphemes.slice(0, max - 1).join("").trimEnd() + "…";
}
