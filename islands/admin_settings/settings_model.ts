// The admin gadget's state: read-only signals out, named actions in
// (createModel). Components read the signals and call the actions; they
// never assign a signal's value.
import {
  batch,
  computed,
  createModel,
  type ReadonlySignal,
  type Signal,
  signal,
} from "@preact/signals";
import { defaultSettings } from "../../shared/settings/settings_schema.ts";
import type { AdminApi, ApiFailure } from "./admin_api.ts";
import {
  FIELD_ORDER,
  type FieldErrors,
  fieldErrorsOf,
  type FieldName,
  formValuesOf,
  sameValues,
  type SettingsFormValues,
  splitTypes,
  validateForm,
} from "./settings_form_values.ts";

export type Phase = "checking" | "signed-out" | "signed-in";
export type Activity = "idle" | "signing-in" | "loading" | "saving";

export interface StatusNote {
  readonly tone: "success" | "error" | "info";
  readonly text: string;
}

export type SaveOutcome =
  | { readonly ok: true }
  /** `field`: the first field to fix, for focus. */
  | { readonly ok: false; readonly field: FieldName | null };

type FieldSignals<S extends "read" | "write"> = {
  readonly [K in FieldName]: S extends "read"
    ? ReadonlySignal<SettingsFormValues[K]>
    : Signal<SettingsFormValues[K]>;
};

export const CONFLICT_MESSAGE =
  "Someone else changed these settings; the latest values are loaded.";
const FIX_FIELDS_MESSAGE = "Save failed: correct the marked fields.";

export const SettingsModel = createModel((api: AdminApi) => {
  const phase = signal<Phase>("checking");
  const activity = signal<Activity>("idle");
  const username = signal("");
  const signInError = signal<string | null>(null);
  const status = signal<StatusNote | null>(null);
  const fieldErrors = signal<FieldErrors>({});
  const saved = signal<SettingsFormValues>(formValuesOf(defaultSettings()));
  const fields: FieldSignals<"write"> = {
    primary: signal(saved.value.primary),
    secondary: signal(saved.value.secondary),
    attachmentsEnabled: signal(saved.value.attachmentsEnabled),
    maxSize: signal(saved.value.maxSize),
    maxSizeUnit: signal(saved.value.maxSizeUnit),
    allowedTypes: signal(saved.value.allowedTypes),
  };
  // Not a signal: nothing renders it, it only travels back as If-Match.
  let etag: string | null = null;

  const values = (): SettingsFormValues => ({
    primary: fields.primary.value,
    secondary: fields.secondary.value,
    attachmentsEnabled: fields.attachmentsEnabled.value,
    maxSize: fields.maxSize.value,
    maxSizeUnit: fields.maxSizeUnit.value,
    allowedTypes: fields.allowedTypes.value,
  });
  const dirty = computed(() => !sameValues(values(), saved.value));

  function show(next: SettingsFormValues): void {
    // Called after an await, where the action's own batch has ended: one
    // render for the whole form, not one per field.
    batch(() => {
      saved.value = next;
      fields.primary.value = next.primary;
      fields.secondary.value = next.secondary;
      fields.attachmentsEnabled.value = next.attachmentsEnabled;
      fields.maxSize.value = next.maxSize;
      fields.maxSizeUnit.value = next.maxSizeUnit;
      fields.allowedTypes.value = next.allowedTypes;
      fieldErrors.value = {};
    });
  }

  async function load(): Promise<ApiFailure | null> {
    const result = await api.loadSettings();
    if (!result.ok) return result.failure;
    etag = result.value.etag;
    show(formValuesOf(result.value.settings));
    return null;
  }

  function signedOut(message: string | null): void {
    phase.value = "signed-out";
    signInError.value = message;
    status.value = null;
  }

  // The form appears only once the saved values are in, so nobody edits
  // (or saves) the defaults it would otherwise show for a moment.
  async function enter(name: string): Promise<void> {
    // After a session ran out mid-edit, the edits and their ETag are kept:
    // a save then either lands or reports the conflict.
    const failure = etag === null ? await load() : null;
    username.value = name;
    signInError.value = null;
    phase.value = "signed-in";
    if (failure) {
      status.value = {
        tone: "error",
        text: `Loading the settings failed: ${failure.message}`,
      };
    }
  }

  async function start(): Promise<void> {
    activity.value = "loading";
    const session = await api.session();
    if (session.ok) await enter(session.value.username);
    else {
      const { failure } = session;
      signedOut(
        failure.kind === "unauthorized" ? null : signInMessage(failure),
      );
    }
    activity.value = "idle";
  }

  async function signIn(name: string, password: string): Promise<boolean> {
    if (activity.value !== "idle") return false;
    activity.value = "signing-in";
    const result = await api.signIn(name, password);
    if (result.ok) await enter(name);
    else signInError.value = signInMessage(result.failure);
    activity.value = "idle";
    return result.ok;
  }

  async function signOut(): Promise<void> {
    const result = await api.signOut();
    if (!result.ok) {
      status.value = {
        tone: "error",
        text: `Sign-out failed: ${result.failure.message}`,
      };
      return;
    }
    etag = null;
    show(formValuesOf(defaultSettings()));
    username.value = "";
    signedOut(null);
  }

  function edit<K extends FieldName>(
    field: K,
    value: SettingsFormValues[K],
  ): void {
    fields[field].value = value;
    // A "Saved." beside changed fields would claim more than is true.
    if (status.value?.tone === "success") status.value = null;
    if (fieldErrors.value[field] !== undefined) check(field);
  }

  /** Validates one field as the administrator leaves it. */
  function check(field: FieldName): void {
    const current = values();
    // Tabbing through untouched fields raises nothing; the size's meaning
    // also depends on its unit.
    const related: readonly FieldName[] = field === "maxSize"
      ? ["maxSize", "maxSizeUnit"]
      : [field];
    const untouched = related.every((name) =>
      current[name] === saved.value[name]
    );
    if (fieldErrors.value[field] === undefined && untouched) return;
    const validation = validateForm(current);
    const message = validation.ok ? undefined : validation.fields[field];
    if (fieldErrors.value[field] === message) return;
    const next = { ...fieldErrors.value };
    if (message === undefined) delete next[field];
    else next[field] = message;
    fieldErrors.value = next;
  }

  async function save(): Promise<SaveOutcome> {
    if (activity.value !== "idle") return { ok: false, field: null };
    const validation = validateForm(values());
    if (!validation.ok) {
      fieldErrors.value = validation.fields;
      status.value = {
        tone: "error",
        text: validation.general === null
          ? FIX_FIELDS_MESSAGE
          : `Save failed: ${validation.general}`,
      };
      return { ok: false, field: firstField(validation.fields) };
    }
    if (etag === null) {
      // Never `If-Match: *`: that would overwrite settings nobody here has seen.
      status.value = {
        tone: "error",
        text:
          "Save failed: the saved settings are not loaded yet. Press Revert to load them.",
      };
      return { ok: false, field: null };
    }
    activity.value = "saving";
    status.value = { tone: "info", text: "Saving…" };
    const result = await api.saveSettings(validation.settings, etag);
    activity.value = "idle";
    if (result.ok) {
      etag = result.value.etag;
      show(formValuesOf(result.value.settings));
      status.value = { tone: "success", text: "Saved." };
      return { ok: true };
    }
    return await saveFailed(result.failure);
  }

  async function saveFailed(failure: ApiFailure): Promise<SaveOutcome> {
    switch (failure.kind) {
      case "invalid": {
        const mapped = fieldErrorsOf(
          failure.errors,
          splitTypes(fields.allowedTypes.value),
        );
        fieldErrors.value = mapped.fields;
        status.value = {
          tone: "error",
          text: mapped.general === null
            ? FIX_FIELDS_MESSAGE
            : `Save failed: ${mapped.general}`,
        };
        return { ok: false, field: firstField(mapped.fields) };
      }
      case "conflict": {
        activity.value = "loading";
        const reloadFailure = await load();
        activity.value = "idle";
        status.value = {
          tone: "error",
          text: reloadFailure === null
            ? CONFLICT_MESSAGE
            : `Someone else changed these settings, and loading theirs failed: ${reloadFailure.message}`,
        };
        return { ok: false, field: null };
      }
      case "unauthorized":
        signedOut(
          "Your session has ended. Sign in again to save your changes.",
        );
        return { ok: false, field: null };
      default:
        status.value = {
          tone: "error",
          text: `Save failed: ${failure.message}`,
        };
        return { ok: false, field: null };
    }
  }

  /** Restores the most recently saved settings, read again from the service. */
  async function revert(): Promise<void> {
    if (activity.value !== "idle") return;
    activity.value = "loading";
    status.value = { tone: "info", text: "Loading the saved settings…" };
    const failure = await load();
    activity.value = "idle";
    status.value = failure === null
      ? { tone: "info", text: "Reverted to the saved settings." }
      : { tone: "error", text: `Revert failed: ${failure.message}` };
  }

  return {
    // Typed read-only: only the actions below change them.
    phase: phase as ReadonlySignal<Phase>,
    activity: activity as ReadonlySignal<Activity>,
    username: username as ReadonlySignal<string>,
    signInError: signInError as ReadonlySignal<string | null>,
    status: status as ReadonlySignal<StatusNote | null>,
    fieldErrors: fieldErrors as ReadonlySignal<FieldErrors>,
    fields: fields as FieldSignals<"read">,
    dirty,
    start,
    signIn,
    signOut,
    edit,
    check,
    save,
    revert,
  };
});

export type SettingsModel = InstanceType<typeof SettingsModel>;

function firstField(errors: FieldErrors): FieldName | null {
  return FIELD_ORDER.find((field) => errors[field] !== undefined) ?? null;
}

/** What the sign-in form says about a failed sign-in or session check. */
export function signInMessage(failure: ApiFailure): string {
  switch (failure.kind) {
    case "unauthorized":
      return "Wrong user name or password.";
    case "throttled": {
      // The service says why and for how long; a proxy's bare 429 does not.
      if (failure.explained) return failure.message;
      if (failure.retryAfterSeconds === null) {
        return "Too many failed attempts. Try again later.";
      }
      const minutes = Math.max(1, Math.ceil(failure.retryAfterSeconds / 60));
      return `Too many failed attempts. Try again in ${minutes} ${
        minutes === 1 ? "minute" : "minutes"
      }.`;
    }
    default:
      // 503 "not configured" and network failures explain themselves.
      return failure.message;
  }
}
