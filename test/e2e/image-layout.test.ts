import { chmod, chown, copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from "vitest";
import type { ProcessUser } from "../../hack/harness/managed-process.ts";
import { buildImageLayout, ENTRY_POINT, removeReadOnlyTree } from "../support/image-layout.ts";
import { FAST_FAILOVER_FLAGS, OperatorTestbed } from "../support/operator-process.ts";

/** The image's user (distroless "nonroot"); the Dockerfile's USER. */
const IMAGE_USER: ProcessUser = { uid: 65532, gid: 65532 };

describe("the runtime image's file layout (dist/ and production dependencies only)", () => {
  let root = "";
  let bed: OperatorTestbed | undefined;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "kube-soar-image-"));
    // The operator's user must reach the layout, its kubeconfig and its token.
    await chmod(root, 0o755);
    await buildImageLayout(join(root, "app"));
    // The base image's Node.js, where the operator's user may run it (this one may sit in a private home).
    await mkdir(join(root, "nodejs"), { mode: 0o755 });
    await copyFile(process.execPath, join(root, "nodejs", "node"));
    await chmod(join(root, "nodejs", "node"), 0o555);
    bed = await OperatorTestbed.start({ prefix: "image", flags: FAST_FAILOVER_FLAGS });
  }, 300_000);

  afterAll(async () => {
    await bed?.close();
    if (root !== "") await removeReadOnlyTree(root);
  });

  it("runs `node dist/main.js` read-only, as a non-root user with an unwritable HOME, turns an alert into an Incident, and stops on SIGTERM", async () => {
    if (bed === undefined) throw new Error("the testbed did not start");
    const testbed = bed;
    onTestFailed(async () => { console.log(await testbed.diagnostics()); });
    // As root the operator drops to the image's user; otherwise it runs as this (non-root) user.
    const user = process.getuid?.() === 0 ? IMAGE_USER : undefined;
    const home = join(root, "home");
    await mkdir(home, { mode: 0o555 });
    // The image's only writable place is the /tmp the pod mounts.
    const writableTmp = join(root, "tmp");
    await mkdir(writableTmp);
    await chmod(writableTmp, 0o1777);
    const kubeconfig = join(root, "kubeconfig");
    await writeFile(kubeconfig, await readFile(inject("kubeconfig")), { mode: 0o400 });
    const logs = join(root, "logs");
    await mkdir(logs, { mode: 0o755 });
    if (user !== undefined) await chown(kubeconfig, user.uid, user.gid);

    const operator = await testbed.start("image", {}, {
      node: join(root, "nodejs", "node"),
      entryPoint: ENTRY_POINT,
      cwd: join(root, "app"),
      env: { HOME: home, TMPDIR: writableTmp, NODE_ENV: "production" },
      kubeconfig,
      logFile: join(logs, "operator.log"),
      ...(user === undefined ? {} : { user }),
    });
    const status = await readFile(`/proc/${operator.pid}/status`, "utf8");
    const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
    expect(Number(uid)).not.toBe(0);
    if (user !== undefined) expect(Number(uid)).toBe(user.uid);

    await testbed.waitForLeader("image");
    await testbed.createPlaybook("collect-on-alert", {
      trigger: testbed.trigger(),
      steps: [{ name: "collect", job: { image: "registry.example.com/soar/collector:1.0.0", args: ["--pod=${{ incident.resources.pod }}"] } }],
    });
    await testbed.publish("miner-1");
    const name = (await testbed.incidentAbout("miner-1")).metadata.name ?? "";
    const finished = await testbed.waitForIncident(name, (incident) => incident.status?.phase === "Succeeded", "to succeed");
    expect(finished.status?.playbooks?.[0]?.steps?.[0]).toMatchObject({ name: "collect", phase: "Succeeded" });

    expect(await operator.terminate()).toEqual({ code: 0, signal: null });
    const lines = await operator.logLines();
    expect(lines.filter((line) => line["level"] === "error" || line["level"] === "fatal")).toEqual([]);
    const messages = lines.map((line) => line.msg);
    expect(messages).toContain("lease released");
    expect(messages.at(-1)).toBe("operator stopped");
  });
});
