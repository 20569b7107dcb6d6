import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCommand } from "./run-command.ts";

/** Paths of the PEM files of a test control plane. */
export interface ControlPlaneCertificates {
  caCert: string;
  caKey: string;
  /** kube-apiserver's serving certificate, valid for 127.0.0.1 and localhost. */
  servingCert: string;
  servingKey: string;
  /** Client certificate of user `admin` in group `system:masters`. */
  adminCert: string;
  adminKey: string;
  /** Key pair that signs and verifies service-account tokens. */
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
}

const DAYS = "3650";
const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc"];

// A complete openssl config so that the machine's openssl.cnf never adds extensions.
const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[serving]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
`;

/**
 * Generates with openssl, into `dir`, a fresh CA, a serving certificate for 127.0.0.1 and
 * localhost, an admin client certificate (CN admin, O system:masters) and a service-account
 * key pair. Rejects with openssl's stderr when a step fails or openssl is missing.
 */
export async function generateCertificates(dir: string): Promise<ControlPlaneCertificates> {
  await mkdir(dir, { recursive: true });
  const config = join(dir, "openssl.cnf");
  await writeFile(config, OPENSSL_CONFIG);
  const file = (name: string): string => join(dir, name);
  const certs: ControlPlaneCertificates = {
    caCert: file("ca.crt"),
    caKey: file("ca.key"),
    servingCert: file("apiserver.crt"),
    servingKey: file("apiserver.key"),
    adminCert: file("admin.crt"),
    adminKey: file("admin.key"),
    serviceAccountKey: file("sa.key"),
    serviceAccountPublicKey: file("sa.pub"),
  };
  await openssl(["req", "-x509", ...EC_KEY, "-config", config, "-extensions", "ca", "-days", DAYS,
    "-subj", "/CN=kube-soar-test-ca", "-keyout", certs.caKey, "-out", certs.caCert]);
  await Promise.all([
    signedCertificate(config, certs, "serving", "/CN=kube-apiserver", certs.servingKey, certs.servingCert),
    signedCertificate(config, certs, "client", "/O=system:masters/CN=admin", certs.adminKey, certs.adminCert),
    openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", certs.serviceAccountKey])
      .then(() => openssl(["pkey", "-in", certs.serviceAccountKey, "-pubout", "-out", certs.serviceAccountPublicKey])),
  ]);
  return certs;
}

async function signedCertificate(
  config: string,
  certs: ControlPlaneCertificates,
  extensions: "serving" | "client",
  subject: string,
  keyPath: string,
  certPath: string,
): Promise<void> {
  const request = `${certPath}.csr`;
  await openssl(["req", "-new", ...EC_KEY, "-config", config, "-subj", subject, "-keyout", keyPath, "-out", request]);
  await openssl(["x509", "-req", "-in", request, "-CA", certs.caCert, "-CAkey", certs.caKey, "-set_serial",
    `0x${randomBytes(8).toString("hex")}`, "-days", DAYS, "-extfile", config,
    "-extensions", extensions, "-out", certPath]);
}

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await runCommand("openssl", args);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`certificates: openssl is needed to generate the test certificates; ${reason}`, { cause: error });
  }
}
