import https from "node:https";
import { lookup } from "node:dns";
import { describe, expect, it } from "vitest";
import { createAgentPool } from "./agent-pool.ts";

describe("createAgentPool", () => {
  it("reuses a connector's agent while its TLS material is the same, and replaces it when it changes", () => {
    const pool = createAgentPool();
    const first = pool.agentFor("soar/hook", "https:", { ca: Buffer.from("ca-1"), serverName: "hooks" }, lookup);
    expect(pool.agentFor("soar/hook", "https:", { ca: Buffer.from("ca-1"), serverName: "hooks" }, lookup)).toBe(first);
    const rotated = pool.agentFor("soar/hook", "https:", { ca: Buffer.from("ca-2"), serverName: "hooks" }, lookup);
    expect(rotated).not.toBe(first);
    if (!(rotated instanceof https.Agent)) throw new Error("an https connector must get an https.Agent");
    expect(rotated.options).toMatchObject({ keepAlive: true, servername: "hooks", lookup });
    expect(pool.agentFor("soar/other", "http:", {}, lookup)).not.toBe(rotated);
    expect(pool.size).toBe(2);
    pool.release("soar/other");
    pool.release("soar/never-seen");
    expect(pool.size).toBe(1);
    pool.close();
    expect(pool.size).toBe(0);
  });
});
