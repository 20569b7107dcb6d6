import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCertificates, type ControlPlaneCertificates } from "./certificates.ts";

describe("generateCertificates", () => {
  let dir = "";
  let certs: ControlPlaneCertificates;
  const certificate = async (path: string): Promise<X509Certificate> => new X509Certificate(await readFile(path));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "certificates-test-"));
    certs = await generateCertificates(join(dir, "certs"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("makes a CA that signed the serving and the admin certificates", async () => {
    const ca = await certificate(certs.caCert);
    expect(ca.ca).toBe(true);
    for (const path of [certs.servingCert, certs.adminCert]) {
      const leaf = await certificate(path);
      expect(leaf.ca).toBe(false);
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(leaf.verify(ca.publicKey)).toBe(true);
    }
  });

  it("makes the serving certificate valid for 127.0.0.1 and localhost", async () => {
    const serving = await certificate(certs.servingCert);
    expect(serving.subjectAltName).toBe("IP Address:127.0.0.1, DNS:localhost");
    expect(serving.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(serving.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
  });

  it("makes an admin client certificate in group system:masters", async () => {
    const admin = await certificate(certs.adminCert);
    expect(admin.subject.split("\n").sort()).toEqual(["CN=admin", "O=system:masters"]);
    expect(admin.keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
  });

  it("makes keys that match their certificates and a service-account key pair", async () => {
    const publicOf = async (keyPath: string): Promise<string> =>
      createPublicKey(createPrivateKey(await readFile(keyPath))).export({ type: "spki", format: "pem" }).toString();
    const pem = async (path: string): Promise<string> =>
      (await certificate(path)).publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(await publicOf(certs.servingKey)).toBe(await pem(certs.servingCert));
    expect(await publicOf(certs.adminKey)).toBe(await pem(certs.adminCert));
    expect(await publicOf(certs.serviceAccountKey)).toBe(
      createPublicKey(await readFile(certs.serviceAccountPublicKey)).export({ type: "spki", format: "pem" }).toString(),
    );
  });
});
