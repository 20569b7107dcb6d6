/**
 * What the vitest globalSetup files of the integration and e2e projects hand to tests
 * through `inject()`.
 */
declare module "vitest" {
  interface ProvidedContext {
    /** Path of an admin kubeconfig for the shared control plane of the run. */
    kubeconfig: string;
    /** Directory of the control-plane and NATS binaries, for tests that start their own. */
    binDir: string;
  }
}

export {};
