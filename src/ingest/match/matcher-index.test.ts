import { V1ObjectMeta } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { Playbook, PlaybookSpec } from "../../api/v1alpha1/types.generated.ts";
import { createExpressionCompiler } from "../../expr/index.ts";
import { PlaybookCompiler } from "../../playbook/index.ts";
import { ineligibility, PlaybookIndex, type MatchInput } from "./matcher-index.ts";
import { API_VERSION } from "../../api/v1alpha1/constants.ts";

let uid = 0;

function playbook(name: string, trigger: PlaybookSpec["trigger"], extra: Partial<PlaybookSpec> = {}, namespace = "shop"): Playbook {
  uid++;
  return {
    apiVersion: API_VERSION,
    kind: "Playbook",
    metadata: Object.assign(new V1ObjectMeta(), { name, namespace, uid: `uid-${String(uid)}`, generation: 1 }),
    spec: { trigger, steps: [{ name: "notify", job: { image: "registry.example/notify:1" } }], ...extra },
  };
}

function nextGeneration(item: Playbook): V1ObjectMeta {
  const { name, namespace, uid: id } = item.metadata;
  return Object.assign(new V1ObjectMeta(), { name, namespace, uid: id, generation: (item.metadata.generation ?? 0) + 1 });
}

const falcoShell: MatchInput = {
  type: "falco.rule.output.v1",
  source: "https://falco.org",
  severity: "low",
  namespace: "shop",
  event: { type: "falco.rule.output.v1", severity: "low", data: { rule: "Terminal shell in container", output_fields: { "k8s.ns.name": "shop" } } },
};

const OPERATOR_NAMESPACE = "soar-system";

function newIndex(): PlaybookIndex {
  return new PlaybookIndex(new PlaybookCompiler(createExpressionCompiler()), OPERATOR_NAMESPACE);
}

describe("PlaybookIndex.match", () => {
  const cases: { name: string; playbooks: Playbook[]; input: MatchInput; expected: string[] }[] = [
    {
      name: "by type",
      playbooks: [playbook("shell", { types: ["falco.rule.output.v1"] }), playbook("vuln", { types: ["com.example.vulnerability.detected"] })],
      input: falcoShell,
      expected: ["shop/shell"],
    },
    {
      name: "by source when types are not restricted",
      playbooks: [playbook("from-falco", { sources: ["https://falco.org"] }), playbook("from-other", { sources: ["//scanner"] })],
      input: falcoShell,
      expected: ["shop/from-falco"],
    },
    {
      name: "minSeverity excludes less severe events",
      playbooks: [playbook("high-only", { types: ["falco.rule.output.v1"], minSeverity: "high" }), playbook("low-up", { types: ["falco.rule.output.v1"], minSeverity: "low" })],
      input: falcoShell,
      expected: ["shop/low-up"],
    },
    {
      name: "when is evaluated over the event",
      playbooks: [
        playbook("rule-match", { types: ["falco.rule.output.v1"], when: 'event.data.rule == "Terminal shell in container"' }),
        playbook("rule-miss", { types: ["falco.rule.output.v1"], when: 'event.data.rule == "Other"' }),
      ],
      input: falcoShell,
      expected: ["shop/rule-match"],
    },
    {
      name: "a when that fails to evaluate does not match",
      playbooks: [playbook("missing-key", { when: "event.data.nothing.here == 1" })],
      input: falcoShell,
      expected: [],
    },
    {
      name: "suspended Playbooks do not match",
      playbooks: [playbook("paused", { types: ["falco.rule.output.v1"] }, { suspend: true })],
      input: falcoShell,
      expected: [],
    },
    {
      name: "Playbooks that do not compile do not match",
      playbooks: [playbook("broken", { types: ["falco.rule.output.v1"], when: "evnt.type == 'x'" })],
      input: falcoShell,
      expected: [],
    },
    {
      name: "results are ordered by namespace and name",
      playbooks: [
        playbook("b", { types: ["falco.rule.output.v1"] }, {}, OPERATOR_NAMESPACE),
        playbook("a", { types: ["falco.rule.output.v1"] }, {}, OPERATOR_NAMESPACE),
        playbook("c", { sources: ["https://falco.org"] }, {}, "shop"),
      ],
      input: falcoShell,
      expected: ["shop/c", "soar-system/a", "soar-system/b"],
    },
    {
      name: "a Playbook outside the operator's namespace sees only alerts about its own namespace",
      playbooks: [
        playbook("own", { sources: ["https://falco.org"] }, {}, "shop"),
        playbook("other", { sources: ["https://falco.org"] }, {}, "billing"),
        playbook("operator", { sources: ["https://falco.org"] }, {}, OPERATOR_NAMESPACE),
      ],
      input: falcoShell,
      expected: ["shop/own", "soar-system/operator"],
    },
    {
      name: "an alert about no namespace is seen only by the operator's Playbooks",
      playbooks: [playbook("tenant", { types: ["falco.rule.output.v1"] }, {}, "shop"), playbook("operator", { types: ["falco.rule.output.v1"] }, {}, OPERATOR_NAMESPACE)],
      input: { ...falcoShell, namespace: undefined },
      expected: ["soar-system/operator"],
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const index = newIndex();
      for (const item of testCase.playbooks) index.upsert(item);
      expect(index.match(testCase.input).map((match) => `${match.namespace}/${match.name}`)).toEqual(testCase.expected);
    });
  }

  it("evaluates the dedup key and reports the window only when set", () => {
    const index = newIndex();
    index.upsert(playbook("keyed", { types: ["falco.rule.output.v1"] }, { dedup: { key: "event.data.rule", window: "10m" } }));
    index.upsert(playbook("plain", { types: ["falco.rule.output.v1"] }));
    expect(index.match(falcoShell)).toEqual([
      { namespace: "shop", name: "keyed", dedupKey: "Terminal shell in container", windowMs: 600_000 },
      { namespace: "shop", name: "plain", dedupKey: undefined, windowMs: undefined },
    ]);
  });

  it("drops a Playbook that becomes ineligible and one that is removed", () => {
    const index = newIndex();
    const first = playbook("shell", { types: ["falco.rule.output.v1"] });
    index.upsert(first);
    index.upsert(playbook("other", { types: ["falco.rule.output.v1"] }));
    expect(index.size).toBe(2);
    index.upsert({ ...first, metadata: nextGeneration(first), spec: { ...first.spec, suspend: true } });
    index.remove("shop/other");
    expect(index.size).toBe(0);
    expect(index.match(falcoShell)).toEqual([]);
  });

  it("re-indexes a Playbook whose types changed", () => {
    const index = newIndex();
    const first = playbook("moving", { types: ["com.example.other"] });
    index.upsert(first);
    expect(index.match(falcoShell)).toEqual([]);
    index.upsert({ ...first, metadata: nextGeneration(first), spec: { ...first.spec, trigger: { types: ["falco.rule.output.v1"] } } });
    expect(index.match(falcoShell).map((match) => match.name)).toEqual(["moving"]);
  });
});

describe("ineligibility", () => {
  const compiler = new PlaybookCompiler(createExpressionCompiler());
  const ready = (status: "True" | "False", observedGeneration: number): Playbook["status"] => ({
    conditions: [{ type: "Ready", status, observedGeneration, lastTransitionTime: "2026-11-28T10:00:00Z", reason: "X", message: "" }],
  });
  const cases: { name: string; status: Playbook["status"]; expected: string | undefined }[] = [
    { name: "not reconciled yet", status: undefined, expected: undefined },
    { name: "Ready=True", status: ready("True", 1), expected: undefined },
    { name: "Ready=False for this generation", status: ready("False", 1), expected: "not-ready" },
    { name: "Ready=False for an older generation", status: ready("False", 0), expected: undefined },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const item = playbook("p", { types: ["t"] });
      if (testCase.status !== undefined) item.status = testCase.status;
      expect(ineligibility(item, compiler.compile(item))).toBe(testCase.expected);
    });
  }
});

describe("PlaybookIndex.matchSteps", () => {
  it("pauses after preparing the event for CEL and between Playbooks, and returns what match returns", () => {
    const index = newIndex();
    index.upsert(playbook("a", { types: ["falco.rule.output.v1"], when: 'event.data.rule.startsWith("Terminal")' }));
    index.upsert(playbook("b", { types: ["falco.rule.output.v1"], when: "false" }));
    index.upsert(playbook("c", { types: ["falco.rule.output.v1"] }));
    const steps = index.matchSteps(falcoShell);
    let pauses = 0;
    let step = steps.next();
    while (step.done !== true) {
      pauses++;
      step = steps.next();
    }
    // One pause after preparing the event, one between each two of the three Playbooks.
    expect(pauses).toBe(3);
    expect(step.value).toEqual(index.match(falcoShell));
    expect(step.value.map((match) => match.name)).toEqual(["a", "c"]);
  });
});
