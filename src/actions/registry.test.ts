import { describe, expect, expectTypeOf, it } from "vitest";
import { ACTION_CATALOG, ACTION_TYPES, type ReversibleActionType } from "../api/v1alpha1/index.ts";
import { DEFAULT_APPROVAL_REQUIRED } from "../policy/approval-policy.ts";
import { builtinActions } from "./registry.ts";
import { targetKindsOfAction } from "./target.ts";
import type { UndoRecordByAction } from "./undo-record.ts";

describe("built-in actions", () => {
  it("has an undo record type for exactly the actions the catalog marks reversible", () => {
    expectTypeOf<keyof UndoRecordByAction>().toEqualTypeOf<ReversibleActionType>();
  });

  it.each(ACTION_TYPES)("%s: its definition, approval default and target kinds follow its catalog row", (action) => {
    const definition = builtinActions[action];
    expect(definition.type).toBe(action);
    expect("revert" in definition).toBe(ACTION_CATALOG[action].reversible);
    expect(DEFAULT_APPROVAL_REQUIRED[action]).toBe(ACTION_CATALOG[action].destructive);
    expect(targetKindsOfAction[action]).toEqual(ACTION_CATALOG[action].targetKinds);
  });
});
