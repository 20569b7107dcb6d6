import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { natsConnectOptions } from "./nats-connection.ts";

describe("natsConnectOptions", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function file(name: string, content: string): string {
    dir ??= mkdtempSync(join(tmpdir(), "soar-nats-"));
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  it("reconnects forever and waits for the first connection", () => {
    const options = natsConnectOptions({ servers: ["nats://a:4222", "nats://b:4222"] }, "intake");
    expect(options).toMatchObject({ servers: ["nats://a:4222", "nats://b:4222"], name: "intake", maxReconnectAttempts: -1, waitOnFirstConnect: true });
    expect(options.authenticator).toBeUndefined();
    expect(options.tls).toBeUndefined();
  });

  it("builds one authenticator per configured credential", () => {
    const options = natsConnectOptions(
      { servers: ["nats://a:4222"], tokenFile: file("token", "t0ken\n"), user: "soar", passwordFile: file("password", "pw\n") },
      "intake",
    );
    expect(options.authenticator).toHaveLength(2);
  });

  it("passes TLS files through", () => {
    const options = natsConnectOptions({ servers: ["tls://a:4222"], tls: { caFile: "/ca.pem", certFile: "/c.pem", keyFile: "/k.pem" } }, "intake");
    expect(options.tls).toEqual({ caFile: "/ca.pem", certFile: "/c.pem", keyFile: "/k.pem" });
  });

  const errors: { name: string; settings: () => Parameters<typeof natsConnectOptions>[0]; message: RegExp }[] = [
    { name: "no server", settings: () => ({ servers: [] }), message: /nats\.servers: at least one server URL is required/ },
    { name: "an unreadable creds file", settings: () => ({ servers: ["nats://a"], credsFile: join(tmpdir(), "no-such-soar-creds") }), message: /nats\.credsFile: cannot read/ },
    { name: "an empty token file", settings: () => ({ servers: ["nats://a"], tokenFile: file("empty", "\n") }), message: /nats\.tokenFile: .* is empty/ },
    { name: "a user without password", settings: () => ({ servers: ["nats://a"], user: "soar" }), message: /nats\.passwordFile: required when nats\.user is set/ },
    { name: "a password without user", settings: () => ({ servers: ["nats://a"], passwordFile: file("pw", "x") }), message: /nats\.user: required when nats\.passwordFile is set/ },
    { name: "a client cert without key", settings: () => ({ servers: ["nats://a"], tls: { certFile: "/c.pem" } }), message: /nats\.tls: certFile and keyFile must be given together/ },
  ];
  for (const testCase of errors) {
    it(`refuses ${testCase.name}, naming the option`, () => {
      expect(() => natsConnectOptions(testCase.settings(), "intake")).toThrow(testCase.message);
    });
  }
});
