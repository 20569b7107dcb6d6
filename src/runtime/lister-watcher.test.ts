import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeHttpClient } from "./kube-http.ts";
import type { PartialObjectMetadata } from "./kube-object.ts";
import { decodeWatchLine, resourceListerWatcher, splitLines, WatchDecodeError, type WatchEvent } from "./lister-watcher.ts";

describe("decodeWatchLine", () => {
  const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "ns", resourceVersion: "7" } };

  it.each([
    { line: JSON.stringify({ type: "ADDED", object: cm }), expected: { type: "ADDED", object: cm } },
    { line: JSON.stringify({ type: "MODIFIED", object: cm }), expected: { type: "MODIFIED", object: cm } },
    { line: JSON.stringify({ type: "DELETED", object: cm }), expected: { type: "DELETED", object: cm } },
    {
      line: JSON.stringify({ type: "BOOKMARK", object: { kind: "ConfigMap", metadata: { resourceVersion: "42" } } }),
      expected: { type: "BOOKMARK", resourceVersion: "42" },
    },
    {
      line: JSON.stringify({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired", message: "too old resource version" } }),
      expected: { type: "ERROR", code: 410, reason: "Expired", message: "too old resource version" },
    },
  ])("decodes $expected.type", ({ line, expected }) => {
    expect(decodeWatchLine(line)).toEqual(expected);
  });

  it.each([
    ["not json", /not valid JSON/],
    ["[1]", /watch event: expected an object/],
    [JSON.stringify({ type: "SURPRISE", object: {} }), /type: expected ADDED/],
    [JSON.stringify({ type: "ADDED", object: { metadata: { resourceVersion: "1" } } }), /object.metadata.name/],
    [JSON.stringify({ type: "ADDED", object: { metadata: { name: "a" } } }), /object.metadata.resourceVersion/],
    [JSON.stringify({ type: "BOOKMARK", object: { metadata: {} } }), /object.metadata.resourceVersion/],
  ])("rejects %s", (line, message) => {
    expect(() => decodeWatchLine(line)).toThrow(WatchDecodeError);
    expect(() => decodeWatchLine(line)).toThrow(message);
  });
});

describe("splitLines", () => {
  it("reassembles lines split across chunks, including multi-byte characters", async () => {
    const euro = Buffer.from("€");
    const chunks = [Buffer.from("one\ntw"), Buffer.from("o\nthr"), euro.subarray(0, 1), euro.subarray(1), Buffer.from("ee\n\nlast")];
    const lines: string[] = [];
    for await (const line of splitLines(Readable.from(chunks))) lines.push(line);
    expect(lines).toEqual(["one", "two", "thr€ee", "", "last"]);
  });
});

describe("resourceListerWatcher over HTTP", () => {
  const secretMetadata = { metadata: { name: "creds", namespace: "soc", resourceVersion: "7" } };
  const requests: { watch: boolean; accept: string | undefined }[] = [];
  let server: http.Server;
  let client: KubeHttpClient;
  let listItems: unknown = [secretMetadata];

  beforeAll(async () => {
    // Answers like an API server asked for PartialObjectMetadata: no data, whatever the Accept.
    server = http.createServer((request, response) => {
      const watch = new URL(request.url ?? "/", "http://localhost").searchParams.get("watch") === "true";
      requests.push({ watch, accept: request.headers.accept });
      response.setHeader("Content-Type", "application/json");
      if (watch) {
        response.end(`${JSON.stringify({ type: "ADDED", object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", ...secretMetadata } })}\n`);
        return;
      }
      response.end(JSON.stringify({ kind: "PartialObjectMetadataList", apiVersion: "meta.k8s.io/v1", metadata: { resourceVersion: "9" }, items: listItems }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const kubeConfig = new KubeConfig();
    // client-node accepts a plain-HTTP server only with skipTLSVerify.
    kubeConfig.loadFromOptions({
      clusters: [{ name: "local", server: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`, skipTLSVerify: true }],
      users: [{ name: "nobody" }],
      contexts: [{ name: "local", cluster: "local", user: "nobody" }],
      currentContext: "local",
    });
    client = new KubeHttpClient(kubeConfig);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  });

  async function listAndWatch(metadataOnly: boolean): Promise<{ items: PartialObjectMetadata[]; events: WatchEvent<PartialObjectMetadata>[] }> {
    requests.length = 0;
    const lw = resourceListerWatcher<PartialObjectMetadata>(client, { path: "/api/v1/secrets", metadataOnly });
    const signal = new AbortController().signal;
    const { items } = await lw.list(signal);
    const events: WatchEvent<PartialObjectMetadata>[] = [];
    for await (const event of lw.watch("9", signal)) events.push(event);
    return { items, events };
  }

  it("asks for PartialObjectMetadata on list and watch when metadata only is wanted, and decodes it", async () => {
    const { items, events } = await listAndWatch(true);
    expect(requests).toEqual([
      { watch: false, accept: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1" },
      { watch: true, accept: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1" },
    ]);
    expect(items).toEqual([{ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", ...secretMetadata }]);
    expect(events).toEqual([{ type: "ADDED", object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", ...secretMetadata } }]);
  });

  it("reads an empty list that the API server encodes as items: null", async () => {
    listItems = null;
    try {
      const { items } = await listAndWatch(true);
      expect(items).toEqual([]);
    } finally {
      listItems = [secretMetadata];
    }
  });

  it("asks for plain JSON otherwise", async () => {
    await listAndWatch(false);
    expect(requests).toEqual([
      { watch: false, accept: "application/json" },
      { watch: true, accept: "application/json" },
    ]);
  });
});
