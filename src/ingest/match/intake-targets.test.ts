import { describe, expect, it } from "vitest";
import { incidentNameFor } from "../identity/incident-name.ts";
import { dedupKeyFingerprint, incidentTargets, MAX_PLAYBOOKS_PER_INCIDENT, type TargetAlert } from "./intake-targets.ts";
import type { PlaybookMatch } from "./matcher-index.ts";

const fingerprint = "3f9a0c12de".padEnd(64, "0");
const alert: TargetAlert = { severity: "high", fingerprint, namePrefix: "falco-terminal-shell-in-container" };
const options = { defaultNamespace: "soar-system", unmatchedMinSeverity: "high" as const, dedupWindowMs: 3_600_000 };
const baseName = incidentNameFor(fingerprint, alert.namePrefix);

function match(namespace: string, name: string, extra: Partial<PlaybookMatch> = {}): PlaybookMatch {
  return { namespace, name, dedupKey: undefined, windowMs: undefined, ...extra };
}

describe("incidentTargets", () => {
  it("puts an unmatched alert at or above the threshold in the default namespace", () => {
    expect(incidentTargets(alert, [], options)).toEqual([
      { namespace: "soar-system", baseName, fingerprint, windowMs: 3_600_000, playbooks: [] },
    ]);
  });

  const dropped: { name: string; severity: TargetAlert["severity"]; threshold: typeof options.unmatchedMinSeverity | "none" }[] = [
    { name: "below the threshold", severity: "medium", threshold: "high" },
    { name: "threshold none", severity: "critical", threshold: "none" },
  ];
  for (const testCase of dropped) {
    it(`drops an unmatched alert ${testCase.name}`, () => {
      expect(incidentTargets({ ...alert, severity: testCase.severity }, [], { ...options, unmatchedMinSeverity: testCase.threshold })).toEqual([]);
    });
  }

  it("opens one Incident per namespace, listing that namespace's Playbooks", () => {
    const targets = incidentTargets(alert, [match("shop", "isolate"), match("shop", "notify"), match("payments", "page", { windowMs: 600_000 })], options);
    expect(targets).toEqual([
      { namespace: "payments", baseName, fingerprint, windowMs: 600_000, playbooks: ["page"] },
      { namespace: "shop", baseName, fingerprint, windowMs: 3_600_000, playbooks: ["isolate", "notify"] },
    ]);
  });

  it("separates Playbooks with different dedup keys and uses the shortest window of a group", () => {
    const keyed = dedupKeyFingerprint("shop/web");
    const targets = incidentTargets(
      alert,
      [match("shop", "a", { dedupKey: "shop/web", windowMs: 60_000 }), match("shop", "b", { dedupKey: "shop/web", windowMs: 120_000 }), match("shop", "c")],
      options,
    );
    expect(targets).toHaveLength(2);
    expect(targets).toContainEqual({ namespace: "shop", baseName: incidentNameFor(keyed, alert.namePrefix), fingerprint: keyed, windowMs: 60_000, playbooks: ["a", "b"] });
    expect(targets).toContainEqual({ namespace: "shop", baseName, fingerprint, windowMs: 3_600_000, playbooks: ["c"] });
  });

  it("bounds the Playbooks listed on one Incident", () => {
    const many = Array.from({ length: MAX_PLAYBOOKS_PER_INCIDENT + 4 }, (_, index) => match("shop", `p${String(index).padStart(2, "0")}`));
    const [target] = incidentTargets(alert, many, options);
    expect(target?.playbooks).toHaveLength(MAX_PLAYBOOKS_PER_INCIDENT);
    expect(target?.playbooks[0]).toBe("p00");
  });

  it("gives dedup-key fingerprints the schema's character set", () => {
    expect(dedupKeyFingerprint("any key: with spaces/and ${{ }}")).toMatch(/^[0-9a-f]{64}$/);
  });
});
