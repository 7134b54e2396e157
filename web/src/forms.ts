// Labelled fields and the server's validation messages beside them: a 400 problem's `errors`
// ({field: [messages]}) are shown in the field (or fieldset) whose data-field is that name.

import { h, uid } from "./dom";

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A label, the control, optional help, and a slot for the server's message. */
export function field(name: string, label: string, control: Control, help?: string): HTMLDivElement {
  control.id ||= uid(`f-${name}`);
  control.name ||= name;
  const helpId = help ? uid(`help-${name}`) : undefined;
  const errorId = uid(`err-${name}`);
  if (helpId) control.setAttribute("aria-describedby", helpId);
  const wrapper = h("div", { class: "field", dataset: { field: name, errorId, helpId: helpId ?? "" } },
    h("label", { for: control.id }, label),
    control,
    help ? h("p", { class: "help", id: helpId }, help) : null,
    h("p", { class: "field-error", id: errorId, hidden: true }),
  );
  return wrapper;
}

/** A checkbox with its label after it. */
export function checkbox(name: string, label: string, checked: boolean, value?: string): HTMLLabelElement {
  const input = h("input", { type: "checkbox", name, value: value ?? "on", checked });
  return h("label", { class: "check" }, input, h("span", null, label));
}

/** A group of controls (checkboxes, times) under a legend, with its own message slot. */
export function group(name: string, legend: string, ...content: (Node | null)[]): HTMLFieldSetElement {
  const errorId = uid(`err-${name}`);
  return h("fieldset", { class: "group", dataset: { field: name, errorId } },
    h("legend", null, legend),
    h("p", { class: "field-error", id: errorId, hidden: true }),
    ...content,
  );
}

export function clearErrors(form: HTMLElement): void {
  for (const slot of form.querySelectorAll<HTMLElement>(".field-error")) {
    slot.textContent = "";
    slot.hidden = true;
  }
  for (const control of form.querySelectorAll<HTMLElement>("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
    const holder = control.closest<HTMLElement>("[data-field]");
    const help = holder?.dataset.helpId;
    if (help) control.setAttribute("aria-describedby", help);
    else control.removeAttribute("aria-describedby");
  }
  for (const fieldset of form.querySelectorAll<HTMLElement>("fieldset[aria-describedby]")) fieldset.removeAttribute("aria-describedby");
}

/**
 * Puts each field's messages next to it and returns the messages no field claimed. The first
 * invalid control gets the focus.
 */
export function showErrors(form: HTMLElement, errors: Record<string, string[]>): string[] {
  clearErrors(form);
  const unclaimed: string[] = [];
  let first: HTMLElement | null = null;
  for (const [name, messages] of Object.entries(errors)) {
    const holder = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(name)}"]`)
      ?? form.querySelector<HTMLElement>(`[data-field="${CSS.escape(name.split(".")[0] ?? name)}"]`);
    if (!holder) {
      unclaimed.push(...messages);
      continue;
    }
    const slot = document.getElementById(holder.dataset.errorId ?? "");
    if (slot) {
      slot.textContent = messages.join(" ");
      slot.hidden = false;
    }
    if (holder instanceof HTMLFieldSetElement) {
      holder.setAttribute("aria-describedby", holder.dataset.errorId ?? "");
      first ??= holder.querySelector<HTMLElement>("input, select, textarea");
    } else {
      const control = holder.querySelector<HTMLElement>("input, select, textarea");
      if (control) {
        control.setAttribute("aria-invalid", "true");
        control.setAttribute("aria-describedby", [holder.dataset.helpId, holder.dataset.errorId].filter(Boolean).join(" "));
        first ??= control;
      }
    }
  }
  first?.focus();
  return unclaimed;
}
