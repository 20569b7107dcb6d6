import type { ConnectorSpec } from "../api/v1alpha1/types.generated.ts";
import type { ConnectorIncident, PayloadText } from "./connector-contract.ts";
import type { ConnectorFailure } from "./connector-failure.ts";
import type { IncomingResponse } from "./http-transport.ts";
import type { Redactor } from "./redactor.ts";
import type { SecretResolver } from "./secret-resolver.ts";

/** What a connector type gets to build its request body. */
export interface BodyContext {
  readonly spec: ConnectorSpec;
  readonly payload: PayloadText;
  readonly incident: ConnectorIncident;
  readonly secrets: SecretResolver;
  /** Register every credential placed in the body, so it is scrubbed from messages. */
  readonly redactor: Redactor;
}

/** The body a connector type sends, and the URL it uses when the spec gives none. */
export interface PreparedBody {
  readonly ok: true;
  /** JSON text; absent for a request without a body. */
  readonly body?: string;
  readonly defaultUrl?: string;
}

/**
 * One kind of Connector: how it checks its spec, writes inserted values, builds its body and
 * reads its answer.
 */
export interface ConnectorTypeDefinition {
  /**
   * For a type whose messages are read as markup (Slack's mrkdwn): writes a value inserted by
   * `${{ }}` so that it reads as the same text and nothing else (no mention, no link). Absent
   * for types whose text is plain data.
   */
  readonly escapeInserted?: (value: string) => string;
  /** A problem of the spec for this type, naming the field; undefined when usable. */
  checkSpec(spec: ConnectorSpec): string | undefined;
  prepareBody(context: BodyContext): Promise<PreparedBody | ConnectorFailure>;
  /** Bounded outputs from an accepted response. */
  outputs(response: IncomingResponse): Record<string, string>;
}
