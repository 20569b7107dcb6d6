import { describe, expect, it } from "vitest";
import type { ControlPlaneCertificates } from "./certificates.ts";
import { apiServerUrl, kubeApiServerArgs, type KubeApiServerConfig } from "./kube-apiserver.ts";

const certs: ControlPlaneCertificates = {
  caCert: "/c/ca.crt",
  caKey: "/c/ca.key",
  servingCert: "/c/apiserver.crt",
  servingKey: "/c/apiserver.key",
  adminCert: "/c/admin.crt",
  adminKey: "/c/admin.key",
  serviceAccountKey: "/c/sa.key",
  serviceAccountPublicKey: "/c/sa.pub",
};

function config(
  serviceAccountAdmission: boolean,
): Pick<KubeApiServerConfig, "port" | "etcdUrl" | "certs" | "serviceAccountAdmission"> {
  return { port: 6443, etcdUrl: "http://127.0.0.1:2379", certs, serviceAccountAdmission };
}

describe("kubeApiServerArgs", () => {
  it("serves on 127.0.0.1 with RBAC, client certificates and the service-account keys", () => {
    const args = kubeApiServerArgs(config(true));
    expect(args).toEqual(
      expect.arrayContaining([
        "--bind-address=127.0.0.1",
        "--secure-port=6443",
        "--etcd-servers=http://127.0.0.1:2379",
        "--authorization-mode=RBAC",
        "--client-ca-file=/c/ca.crt",
        "--tls-cert-file=/c/apiserver.crt",
        "--service-account-key-file=/c/sa.pub",
        "--service-account-signing-key-file=/c/sa.key",
      ]),
    );
    expect(args.some((arg) => arg.startsWith("--disable-admission-plugins"))).toBe(false);
  });

  it("disables ServiceAccount admission when no controller manager creates ServiceAccounts", () => {
    expect(kubeApiServerArgs(config(false))).toContain("--disable-admission-plugins=ServiceAccount");
  });

  it("derives the server URL from the port alone", () => {
    expect(apiServerUrl({ port: 6443 })).toBe("https://127.0.0.1:6443");
  });
});
