import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSecretName, REDACTED, redactNamedValue, redactSecrets } from "./free-text.ts";

const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
const PEM = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\n-----END OPENSSH PRIVATE KEY-----";

describe("redactSecrets", () => {
  it.each([
    ["an env assignment with a prefixed name", "DB_PASSWORD=hunter2 next", `DB_PASSWORD=${REDACTED} next`],
    ["AWS_SECRET_ACCESS_KEY", "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG", `export AWS_SECRET_ACCESS_KEY=${REDACTED}`],
    ["GITHUB_TOKEN in YAML", "GITHUB_TOKEN: abc123", `GITHUB_TOKEN: ${REDACTED}`],
    ["a JSON pair", '{"db.password": "p@ss word", "user": "bob"}', `{"db.password": ${REDACTED}, "user": "bob"}`],
    ["a camelCase name", "clientSecret=s3cr3t", `clientSecret=${REDACTED}`],
    ["a dashed key name, any case", "Api-Key: 12345", `Api-Key: ${REDACTED}`],
    ["a credential file path variable", "MYSQL_PWD='x y'", `MYSQL_PWD=${REDACTED}`],
    ["--password value", "mysqldump --password hunter2 db", `mysqldump --password ${REDACTED} db`],
    ["--password=value", "mysql --password=hunter2 -u root", `mysql --password=${REDACTED} -u root`],
    ["--token value", "vault login --token s.abcdef", `vault login --token ${REDACTED}`],
    ["--db-password value", "app --db-password 'a b'", `app --db-password ${REDACTED}`],
    ["Authorization: Basic", "Authorization: Basic dXNlcjpwYXNz", `Authorization: ${REDACTED}`],
    ["Authorization: Token", 'curl -H "Authorization: Token abc" x', `curl -H "Authorization: ${REDACTED}" x`],
    ["Proxy-Authorization: Digest with parameters", 'Proxy-Authorization: Digest username="u", response="6629"\nnext', `Proxy-Authorization: ${REDACTED}\nnext`],
    ["a bearer token alone", "sent Bearer abcdefghijkl", `sent ${REDACTED}`],
    ["URL userinfo", "postgres://app:s3cr3t@db:5432/x", `postgres://app:${REDACTED}@db:5432/x`],
    ["URL userinfo in a sentence", "clone https://bob:ghpass@github.com/o/r failed", `clone https://bob:${REDACTED}@github.com/o/r failed`],
    ["a PEM block", `key:\n${PEM}\nend`, `key:\n${REDACTED}\nend`],
    ["an unterminated PEM block", "x -----BEGIN EC PRIVATE KEY-----\nMHcC", `x ${REDACTED}`],
    ["an AWS access key id", "id AKIAIOSFODNN7EXAMPLE.", `id ${REDACTED}.`],
    ["an AWS session key id", "ASIAY34FZKBOKMUTVV7A", REDACTED],
    ["GitHub tokens", "ghp_16C7e42F292c6912E7710c838347Ae178B4a gho_16C7e42F292c6912E7710c838347Ae178B4a", `${REDACTED} ${REDACTED}`],
    ["a fine-grained GitHub token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop", REDACTED],
    ["a Slack token", "xoxb-123456789012-abcdefABCDEF", REDACTED],
    ["a JWT", `jwt ${JWT} ok`, `jwt ${REDACTED} ok`],
  ])("redacts %s", (_name, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it.each([
    ["a password policy setting (the last segment decides)", "password_policy=strict"],
    ["a token lifetime", "token_ttl: 3600"],
    ["identifier keys", "dedup_key=abc sort_key: name idempotency-key=1"],
    ["a bare key", "key=value"],
    ["a flag naming a file", "--token-file /var/run/token --password-stdin"],
    ["a flag followed by another flag", "--password --verbose"],
    ["-p, which is a port or a pid as often as a password", "docker run -p 8080:80 && ps -p 42"],
    ["prose", "Bearer tokens are issued; the password was reset"],
    ["a URL without a password", "https://user@example.com/a:b@c https://example.com:8443/x"],
    ["a public key block", "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----"],
    ["short look-alikes of token shapes", "AKIA123 ghp_short xoxb-1 eyJhbGci.notjwt"],
    ["an empty value", "password= next"],
  ])("leaves %s alone", (_name, input) => {
    expect(redactSecrets(input)).toBe(input);
  });

  const secrets = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/);
  const filler = fc.string({ unit: fc.constantFrom("a", "b", " ", "\n", "=", ":", "-", "/", "@", '"', ".", "x") , maxLength: 40 });
  const embeddings: readonly ((secret: string) => string)[] = [
    (secret) => `DB_PASSWORD=${secret}`,
    (secret) => `"api_key": "${secret}"`,
    (secret) => `--password ${secret}`,
    (secret) => `Authorization: Basic ${secret}`,
    (secret) => `https://user:${secret}@host/`,
    (secret) => `-----BEGIN RSA PRIVATE KEY-----\n${secret}\n-----END RSA PRIVATE KEY-----`,
    (secret) => `AKIA${secret.toUpperCase().padEnd(16, "Q").slice(0, 16)}`,
    (secret) => `ghp_${secret.padEnd(36, "z")}`,
  ];

  it("never lets a generated secret survive, whatever text surrounds it", () => {
    fc.assert(
      fc.property(filler, secrets, fc.nat(embeddings.length - 1), filler, (before, secret, which, after) => {
        const embedded = embeddings[which]?.(secret) ?? "";
        const shape = which >= 6 ? embedded : secret;
        expect(redactSecrets(`${before} ${embedded}\n${after}`)).not.toContain(shape);
      }),
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(filler, secrets, fc.nat(embeddings.length - 1), (before, secret, which) => {
        const once = redactSecrets(`${before} ${embeddings[which]?.(secret) ?? ""}`);
        expect(redactSecrets(once)).toBe(once);
      }),
    );
  });

  it.each([
    ["a= repetitions", "a="],
    ["password= repetitions", "password="],
    ["quote openings", 'token="'],
    ["BEGIN headers without an END", "-----BEGIN RSA PRIVATE KEY-----"],
    ["BEGIN without a label end", "-----BEGIN "],
    ["URL schemes without userinfo ends", "://a:"],
    ["flags without values", "--password "],
    ["JWT starts", "-eyJ."],
  ])("takes time linear in the length of hostile text: %s", (_name, unit) => {
    const timed = (copies: number): number => {
      const text = unit.repeat(copies);
      const start = performance.now();
      redactSecrets(text);
      return performance.now() - start;
    };
    const small = 16 * 1024;
    timed(small);
    const smallTime = Math.max(timed(small), 1);
    const largeTime = timed(small * 16);
    // 16 times the text; quadratic work would take 256 times as long.
    expect(largeTime / smallTime).toBeLessThan(64);
  });
});

describe("isSecretName", () => {
  it.each(["DB_PASSWORD", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "--password", "client.secret", "apiKey", "routing_key", "Proxy-Authorization", "PGPASSWORD"])("names a credential: %s", (name) => {
    expect(isSecretName(name)).toBe(true);
  });
  it.each(["password_policy", "token_ttl", "dedup_key", "key", "secret_name", "--token-file"])("does not: %s", (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe("redactNamedValue", () => {
  it("redacts the whole value of a credential name and scans other values", () => {
    expect(redactNamedValue("access_token", "abc")).toBe(REDACTED);
    expect(redactNamedValue("note", "uses DB_PASSWORD=x")).toBe(`uses DB_PASSWORD=${REDACTED}`);
    expect(redactNamedValue("token", "")).toBe("");
  });
});
