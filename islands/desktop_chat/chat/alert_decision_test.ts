import assert from "node:assert/strict";
import {
  type AlertInput,
  decideAlert,
  type NotifyPermission,
  type WindowState,
} from "./alert_decision.ts";

const WINDOWS: readonly WindowState[] = ["hidden", "minimised", "open"];
const PERMISSIONS: readonly NotifyPermission[] = [
  "granted",
  "denied",
  "default",
  "unsupported",
];

type InputOverrides = Partial<Omit<AlertInput, "permission">> & {
  readonly permission?: NotifyPermission;
};

function input(overrides: InputOverrides): AlertInput {
  const { permission = "default", ...rest } = overrides;
  return {
    show: "available",
    window: "hidden",
    attended: true,
    ...rest,
    permission: () => permission,
  };
}

Deno.test("alert decision", async (t) => {
  await t.step("available and looking: the window pops, nothing else", () => {
    for (const window of WINDOWS) {
      for (const permission of PERMISSIONS) {
        assert.deepEqual(decideAlert(input({ window, permission })), {
          window: "open",
          blink: false,
          notify: false,
          toast: false,
        });
      }
    }
  });

  await t.step("away from the tab with permission: a notification", () => {
    for (const show of ["available", "away"] as const) {
      assert.deepEqual(
        decideAlert(input({ show, attended: false, permission: "granted" })),
        { window: "open", blink: false, notify: true, toast: false },
      );
    }
  });

  await t.step("away from the tab without permission: the toaster", () => {
    for (const permission of ["denied", "default", "unsupported"] as const) {
      assert.deepEqual(
        decideAlert(input({ attended: false, permission })),
        { window: "open", blink: false, notify: false, toast: true },
      );
    }
  });

  await t.step("DND, window active: shown, no blink, no notification", () => {
    for (const attended of [true, false]) {
      for (const permission of PERMISSIONS) {
        assert.deepEqual(
          decideAlert(
            input({ show: "dnd", window: "open", attended, permission }),
          ),
          { window: "open", blink: false, notify: false, toast: false },
        );
      }
    }
  });

  await t.step("DND, window closed or minimised: header and blink only", () => {
    for (const window of ["hidden", "minimised"] as const) {
      for (const attended of [true, false]) {
        assert.deepEqual(
          decideAlert(
            input({ show: "dnd", window, attended, permission: "granted" }),
          ),
          { window: "minimised", blink: true, notify: false, toast: false },
        );
      }
    }
  });

  await t.step(
    "the permission is read only when a notification could show",
    () => {
      const cases: readonly [InputOverrides, number][] = [
        [{ attended: true }, 0],
        [{ show: "dnd", attended: false, window: "open" }, 0],
        [{ show: "dnd", attended: false, window: "hidden" }, 0],
        [{ attended: false }, 1],
        [{ show: "away", attended: false }, 1],
      ];
      for (const [overrides, expected] of cases) {
        let reads = 0;
        decideAlert({
          ...input(overrides),
          permission: () => (reads++, "granted"),
        });
        assert.equal(reads, expected, JSON.stringify(overrides));
      }
    },
  );
});
