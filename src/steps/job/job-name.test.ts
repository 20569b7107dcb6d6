import { describe, expect, it } from "vitest";
import { jobNameFor, labelValueFor, MAX_JOB_NAME_LENGTH } from "./job-name.ts";

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const longIncident = `falco-${"detect-outbound-connections-to-common-miner-pool-ports-".repeat(4)}0123456789`;
const longStep = "s".repeat(40);

describe("jobNameFor", () => {
  it.each([
    { name: "short parts stay readable", parts: { incidentUid: "u", incident: "inc-1", playbook: "miner", step: "scan", attempt: 1 }, prefix: "inc-1-scan-1-" },
    { name: "dots become dashes", parts: { incidentUid: "u", incident: "a.b", playbook: "p", step: "s", attempt: 2 }, prefix: "a-b-s-2-" },
  ])("$name", ({ parts, prefix }) => {
    const name = jobNameFor(parts);
    expect(name.startsWith(prefix)).toBe(true);
    expect(name).toMatch(/-[0-9a-f]{8}$/);
  });

  it.each([
    { name: "long incident", parts: { incidentUid: "u", incident: longIncident, playbook: "miner", step: "forensics", attempt: 1 } },
    { name: "long incident and step", parts: { incidentUid: "u", incident: longIncident, playbook: "p".repeat(200), step: longStep, attempt: 10 } },
    { name: "length just over the limit", parts: { incidentUid: "u", incident: "i".repeat(50), playbook: "pb", step: "step", attempt: 1 } },
  ])("is length-safe and keeps step and attempt: $name", ({ parts }) => {
    const name = jobNameFor(parts);
    expect(name.length).toBeLessThanOrEqual(MAX_JOB_NAME_LENGTH);
    expect(name).toMatch(dns1123Label);
    expect(name).toMatch(new RegExp(`-${parts.step}-${parts.attempt}-[0-9a-f]{8}$`));
    expect(jobNameFor(parts)).toBe(name);
  });

  it("gives distinct names for parts that differ only beyond the cut", () => {
    const names = new Set([
      jobNameFor({ incidentUid: "u", incident: `${longIncident}a`, playbook: "p", step: "s", attempt: 1 }),
      jobNameFor({ incidentUid: "u", incident: `${longIncident}b`, playbook: "p", step: "s", attempt: 1 }),
      jobNameFor({ incidentUid: "u", incident: longIncident, playbook: "p", step: "s", attempt: 2 }),
      jobNameFor({ incidentUid: "u", incident: longIncident, playbook: "q", step: "s", attempt: 1 }),
    ]);
    expect(names.size).toBe(4);
  });

  it("gives a recreated Incident other names", () => {
    expect(jobNameFor({ incident: "i", incidentUid: "u1", playbook: "p", step: "s", attempt: 1 })).not.toBe(
      jobNameFor({ incident: "i", incidentUid: "u2", playbook: "p", step: "s", attempt: 1 }),
    );
  });

  it("does not confuse incident and playbook boundaries", () => {
    expect(jobNameFor({ incidentUid: "u", incident: "i", playbook: "a-b", step: "c", attempt: 1 })).not.toBe(
      jobNameFor({ incidentUid: "u", incident: "i-a", playbook: "b", step: "c", attempt: 1 }),
    );
  });
});

describe("labelValueFor", () => {
  it.each([
    { name: "short name kept", input: "inc-1", expected: "inc-1" },
    { name: "long name hashed", input: longIncident, expected: undefined },
    { name: "dotted subdomain kept", input: "a.b.c", expected: "a.b.c" },
  ])("$name", ({ input, expected }) => {
    const value = labelValueFor(input);
    expect(value.length).toBeLessThanOrEqual(63);
    expect(value).toMatch(labelValue);
    if (expected !== undefined) expect(value).toBe(expected);
    else expect(value).not.toBe(input);
  });
});
