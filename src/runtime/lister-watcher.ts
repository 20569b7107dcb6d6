import { StringDecoder } from "node:string_decoder";
import type { KubeObject } from "./kube-object.ts";
import { isGone } from "./errors.ts";
import type { KubeHttpClient } from "./kube-http.ts";

/** A change to an object, as the watch API reports it. */
export interface ObjectWatchEvent<T> {
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: T;
}

/** A progress marker: every change up to `resourceVersion` has been delivered. */
export interface BookmarkWatchEvent {
  type: "BOOKMARK";
  resourceVersion: string;
}

/** An error the server reported inside the stream; code 410 means the resourceVersion expired. */
export interface ErrorWatchEvent {
  type: "ERROR";
  code: number | undefined;
  reason: string | undefined;
  message: string | undefined;
}

/** One decoded line of a watch stream. */
export type WatchEvent<T> = ObjectWatchEvent<T> | BookmarkWatchEvent | ErrorWatchEvent;

/** A consistent snapshot of a collection. */
export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

/** Lists and watches one collection of objects. */
export interface ListerWatcher<T extends KubeObject> {
  /** The whole collection at one resourceVersion. */
  list(signal: AbortSignal): Promise<ListResult<T>>;
  /** Changes after `resourceVersion`, ending when the server closes the stream or `signal` aborts. */
  watch(resourceVersion: string, signal: AbortSignal): AsyncIterable<WatchEvent<T>>;
}

/** A watch line or list answer that does not have the documented shape. */
export class WatchDecodeError extends Error {
  override readonly name = "WatchDecodeError";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function resourceVersionOf(value: Record<string, unknown>, field: string): string {
  const metadata = value.metadata;
  const resourceVersion = isRecord(metadata) ? metadata.resourceVersion : undefined;
  if (typeof resourceVersion !== "string" || resourceVersion === "") {
    throw new WatchDecodeError(`${field}.metadata.resourceVersion: expected a non-empty string`);
  }
  return resourceVersion;
}

function checkedObject(value: unknown, field: string): KubeObject {
  if (!isRecord(value)) throw new WatchDecodeError(`${field}: expected an object`);
  const metadata = value.metadata;
  if (!isRecord(metadata) || typeof metadata.name !== "string" || metadata.name === "") {
    throw new WatchDecodeError(`${field}.metadata.name: expected a non-empty string`);
  }
  resourceVersionOf(value, field);
  return value;
}

/** Decodes one line of a watch stream; throws a WatchDecodeError naming the bad field. */
export function decodeWatchLine<T extends KubeObject>(line: string): WatchEvent<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line) as unknown;
  } catch {
    throw new WatchDecodeError("watch event: not valid JSON");
  }
  if (!isRecord(parsed)) throw new WatchDecodeError("watch event: expected an object");
  const { type, object } = parsed;
  switch (type) {
    case "ADDED":
    case "MODIFIED":
    case "DELETED":
      // The server sends objects of the watched collection's type.
      return { type, object: checkedObject(object, "object") as T };
    case "BOOKMARK":
      if (!isRecord(object)) throw new WatchDecodeError("object: expected an object");
      return { type, resourceVersion: resourceVersionOf(object, "object") };
    case "ERROR": {
      const status = isRecord(object) ? object : {};
      return {
        type,
        code: typeof status.code === "number" ? status.code : undefined,
        reason: optionalString(status.reason),
        message: optionalString(status.message),
      };
    }
    default:
      throw new WatchDecodeError(`type: expected ADDED, MODIFIED, DELETED, BOOKMARK or ERROR, got ${JSON.stringify(type)}`);
  }
}

/** Splits a byte stream into newline-terminated UTF-8 lines (a last unterminated line included). */
export async function* splitLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  for await (const chunk of chunks) {
    pending += typeof chunk === "string" ? chunk : decoder.write(chunk);
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      yield pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
  }
  pending += decoder.end();
  if (pending !== "") yield pending;
}

/** Which collection to list and watch over HTTP. */
export interface ResourceListerWatcherOptions {
  /** Collection path, e.g. `/api/v1/configmaps` or `/apis/g/v1/namespaces/ns/things`. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Objects per list page; default 500, like client-go. */
  pageSize?: number;
  /** Server-side watch timeout for each watch; default random in [300, 600) s, like client-go. */
  watchTimeoutSeconds?: () => number;
  /**
   * Ask for metadata only: objects arrive as meta.k8s.io/v1 `PartialObjectMetadata`, without
   * spec, status or data (a Secret's values never reach the process).
   */
  metadataOnly?: boolean;
}

/**
 * The media types of a metadata-only list and watch, as client-go's metadata client asks for
 * them. No plain-JSON fallback is offered: a server that cannot convert answers 406 instead of
 * sending whole objects.
 */
const metadataMediaType = {
  list: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1",
  watch: "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1",
} as const;

interface ListPage<T> {
  items: T[];
  resourceVersion: string;
  continueToken: string | undefined;
}

function decodeListPage<T extends KubeObject>(value: unknown): ListPage<T> {
  if (!isRecord(value)) throw new WatchDecodeError("list: expected an object");
  // Go encodes an empty slice as null: the API server answers an empty PartialObjectMetadataList so.
  const rawItems: unknown = value.items ?? [];
  if (!Array.isArray(rawItems)) throw new WatchDecodeError("list.items: expected an array");
  const kind = optionalString(value.kind)?.replace(/List$/, "");
  const apiVersion = optionalString(value.apiVersion);
  const items = rawItems.map((item: unknown, index) => {
    const object = checkedObject(item, `list.items[${index}]`) as T;
    // List items come without their type; restore it so cached objects are self-describing.
    return { ...object, kind: object.kind ?? kind, apiVersion: object.apiVersion ?? apiVersion };
  });
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const resourceVersion = resourceVersionOf(value, "list");
  const continueToken = optionalString(metadata.continue);
  return { items, resourceVersion, continueToken: continueToken === "" ? undefined : continueToken };
}

/**
 * Lists (in pages, falling back to one full list when a continue token expires) and watches
 * (with bookmarks and a server-side timeout) a collection through the API server.
 *
 * Why not client-node's `ListWatch`/`makeInformer` or `Watch` (2.0.1): `ListWatch` only
 * reconnects after 410 Gone and its own client timeout; any other watch error, and any failed
 * list, is passed to `error` handlers and the informer stops for good (kubernetes-client/
 * javascript#2385, #596, #364). It never asks for bookmarks, has no resync and keeps
 * managedFields. `Watch` aborts any stream silent for a fixed, private 30 s (so quiet
 * collections reconnect twice a minute whatever the bookmark cadence), drops lines it cannot
 * parse without a word, and can report a connection lost mid-stream as a normal end. Hence this
 * small client and the {@link Reflector} loop that owns every retry decision.
 */
export function resourceListerWatcher<T extends KubeObject>(
  client: KubeHttpClient,
  options: ResourceListerWatcherOptions,
): ListerWatcher<T> {
  const pageSize = options.pageSize ?? 500;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`pageSize must be an integer >= 1, got ${String(pageSize)}`);
  }
  const selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
  const watchTimeoutSeconds = options.watchTimeoutSeconds ?? (() => 300 + Math.floor(Math.random() * 300));
  const accept = options.metadataOnly === true ? metadataMediaType : { list: undefined, watch: undefined };

  async function listPaged(signal: AbortSignal, limit: number | undefined): Promise<ListResult<T>> {
    const items: T[] = [];
    let continueToken: string | undefined;
    let resourceVersion: string;
    do {
      const page = decodeListPage<T>(
        await client.getJson(
          options.path,
          { ...selectors, limit: limit === undefined ? undefined : String(limit), continue: continueToken },
          signal,
          accept.list,
        ),
      );
      items.push(...page.items);
      resourceVersion = page.resourceVersion;
      continueToken = page.continueToken;
    } while (continueToken !== undefined);
    return { items, resourceVersion };
  }

  return {
    async list(signal) {
      try {
        return await listPaged(signal, pageSize);
      } catch (error: unknown) {
        if (!isGone(error)) throw error;
        return listPaged(signal, undefined);
      }
    },
    async *watch(resourceVersion, signal) {
      const response = await client.open(
        options.path,
        {
          ...selectors,
          watch: "true",
          resourceVersion,
          allowWatchBookmarks: "true",
          timeoutSeconds: String(watchTimeoutSeconds()),
        },
        signal,
        accept.watch,
      );
      for await (const line of splitLines(response as AsyncIterable<Buffer>)) {
        if (line.trim() === "") continue;
        yield decodeWatchLine<T>(line);
      }
    },
  };
}
