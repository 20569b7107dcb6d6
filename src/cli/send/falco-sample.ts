import { randomUUID } from "node:crypto";

/** Where the built-in sample alert says it happened. */
export interface FalcoSampleTarget {
  /** `output_fields["k8s.ns.name"]`; default `batch`. */
  readonly namespace?: string | undefined;
  /** `output_fields["k8s.pod.name"]`; default `report-gen-7f9c-kq2lz`. */
  readonly pod?: string | undefined;
}

/**
 * The built-in test alert of `kubectl soar send`: Falco's "Detect outbound connections to common
 * miner pool ports" rule as Falcosidekick forwards it (the alert kube-soar's sample Playbook
 * answers), about `target`, with a fresh `uuid` and the time `now`, so each one sent is a new
 * occurrence. The output text is Falco's; what intake reads is in `output_fields`.
 */
export function falcoSample(target: FalcoSampleTarget, now: Date, uuid: string = randomUUID()): Record<string, unknown> {
  const namespace = target.namespace ?? "batch";
  const pod = target.pod ?? "report-gen-7f9c-kq2lz";
  return {
    uuid,
    output: `${now.toISOString().slice(11, 23)}: Critical Outbound connection to IP/Port flagged by https://cryptoioc.ch (connection=10.244.1.17:48122->203.0.113.45:3333 lport=48122 rport=3333 fd_type=ipv4 fd_proto=tcp evt_type=connect user=nobody user_uid=65534 process=xmrig proc_exepath=/tmp/.x/xmrig parent=sh command=xmrig -o pool.minexmr.example:3333 container_id=a1b2c3d4e5f6 container_name=worker k8s_ns=${namespace} k8s_pod_name=${pod})`,
    priority: "Critical",
    rule: "Detect outbound connections to common miner pool ports",
    time: now.toISOString(),
    source: "syscall",
    hostname: "worker-1",
    tags: ["T1496", "host", "container", "maturity_sandbox", "mitre_impact", "network"],
    output_fields: {
      "container.id": "a1b2c3d4e5f6",
      "container.name": "worker",
      "evt.time": now.getTime() * 1_000_000,
      "evt.type": "connect",
      "fd.name": "10.244.1.17:48122->203.0.113.45:3333",
      "fd.rip": "203.0.113.45",
      "fd.rport": 3333,
      "fd.sip": "203.0.113.45",
      "k8s.ns.name": namespace,
      "k8s.pod.name": pod,
      "proc.cmdline": "xmrig -o pool.minexmr.example:3333",
      "proc.exepath": "/tmp/.x/xmrig",
      "proc.name": "xmrig",
      "proc.pname": "sh",
      "user.name": "nobody",
      "user.uid": 65534,
    },
  };
}
