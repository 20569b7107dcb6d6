import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bearerToken, parseTokenFile, TokenFileAuthenticator } from "./http-auth.ts";
import { silentLogger } from "../../testing/silent-logger.ts";

const logger = silentLogger;

describe("parseTokenFile", () => {
  it("keeps one token per line, skipping blanks and comments", () => {
    expect(parseTokenFile("# tokens\n alpha \n\r\nbeta\r\n#gamma\n")).toEqual(["alpha", "beta"]);
  });
});

describe("bearerToken", () => {
  const cases: [string | undefined, string | undefined][] = [
    [undefined, undefined],
    ["Bearer abc", "abc"],
    ["bearer abc", "abc"],
    ["Bearer  abc ", "abc"],
    ["Basic abc", undefined],
    ["Bearer", undefined],
    ["Bearer a b", undefined],
  ];
  for (const [header, token] of cases) {
    it(`${JSON.stringify(header)} gives ${JSON.stringify(token)}`, () => {
      expect(bearerToken(header)).toBe(token);
    });
  }
});

describe("TokenFileAuthenticator", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function tokenFile(content: string): string {
    dir = mkdtempSync(join(tmpdir(), "soar-auth-"));
    const path = join(dir, "tokens");
    writeFileSync(path, content);
    return path;
  }

  it("accepts only listed tokens", () => {
    const auth = new TokenFileAuthenticator(tokenFile("first\nsecond\n"), logger);
    expect(auth.check("Bearer second")).toEqual({ ok: true });
    expect(auth.check("Bearer third")).toEqual({ ok: false, refusal: "token-not-accepted", message: "Authorization: the token is not accepted" });
    expect(auth.check(undefined)).toEqual({
      ok: false,
      refusal: "credentials-missing",
      message: "Authorization: a bearer token, or Basic credentials whose password is a token, is required",
    });
    expect(auth.check("Token second")).toMatchObject({ ok: false, refusal: "credentials-malformed" });
    expect(auth.check("Bearer secon")).toMatchObject({ ok: false });
  });

  it("accepts Basic credentials whose password is a listed token, whatever the user name", () => {
    const auth = new TokenFileAuthenticator(tokenFile("first\nsecond\n"), logger);
    const basic = (credentials: string): string => `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`;
    expect(auth.check(basic("falcosidekick:second"))).toEqual({ ok: true });
    expect(auth.check(basic(":first"))).toEqual({ ok: true });
    expect(auth.check(basic("second:third"))).toMatchObject({ ok: false, refusal: "token-not-accepted" });
    expect(auth.check(basic("no-colon-second"))).toMatchObject({ ok: false, refusal: "credentials-malformed" });
    expect(auth.check("Basic not*base64")).toMatchObject({ ok: false, refusal: "credentials-malformed" });
  });

  it("reloads the file when it changes", () => {
    const path = tokenFile("old\n");
    const auth = new TokenFileAuthenticator(path, logger);
    writeFileSync(path, "new-token-with-other-size\n");
    auth.refresh();
    expect(auth.check("Bearer new-token-with-other-size")).toEqual({ ok: true });
    expect(auth.check("Bearer old")).toMatchObject({ ok: false });
  });

  it("keeps the previous tokens when the file disappears", () => {
    const path = tokenFile("kept\n");
    const auth = new TokenFileAuthenticator(path, logger);
    rmSync(path);
    auth.refresh();
    expect(auth.check("Bearer kept")).toEqual({ ok: true });
  });

  it("refuses a file without tokens, naming the option", () => {
    expect(() => new TokenFileAuthenticator(tokenFile("# nothing\n"), logger)).toThrow(/receiver\.tokenFile: .* holds no token/);
  });

  it("refuses a missing file, naming the option", () => {
    expect(() => new TokenFileAuthenticator(join(tmpdir(), "does-not-exist-soar-tokens"), logger)).toThrow(/receiver\.tokenFile: cannot read/);
  });
});
