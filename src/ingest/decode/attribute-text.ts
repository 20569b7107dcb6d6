import { displayText, quoted } from "./display-text.ts";
import { joinPath } from "./json-path.ts";
import { reject, RejectReason, type Rejection } from "../rejection.ts";
import { utf8Length } from "./text-encoding.ts";

/**
 * Characters the CloudEvents type system forbids in String values: C0 and C1 controls
 * (U+0000-U+001F, U+007F-U+009F), unpaired surrogates and Unicode noncharacters.
 */
const FORBIDDEN_IN_CE_STRING = /[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}]/u;

/** True when `text` contains a character the CloudEvents String type forbids. */
export function hasForbiddenCharacter(text: string): boolean {
  return FORBIDDEN_IN_CE_STRING.test(text);
}

/**
 * Checks an attribute value that has already been found to be a string: bounded in UTF-8 bytes,
 * non-empty unless `allowEmpty`, and free of characters the CloudEvents String type forbids
 * (NUL, newlines, other controls, unpaired surrogates, noncharacters).
 */
export function checkAttributeText(field: string, value: string, maxBytes: number, allowEmpty = false): Rejection | undefined {
  if (value === "" && !allowEmpty) return reject(RejectReason.InvalidAttribute, field, `attribute ${field} must be a non-empty string`);
  const bytes = utf8Length(value);
  if (bytes > maxBytes) {
    return reject(RejectReason.TooLarge, field, `attribute ${field} is ${bytes} bytes, more than the limit of ${maxBytes} bytes`);
  }
  if (hasForbiddenCharacter(value)) {
    return reject(RejectReason.InvalidAttribute, field, `attribute ${field} contains a control character, an unpaired surrogate or a noncharacter`);
  }
  return undefined;
}

const EXTENSION_NAME = /^[a-z0-9]+$/;

/**
 * The field naming attribute `name` of the event at `prefix` (`""` for a single event,
 * `[3]` inside a batch): the bare name, rendered printable, or a JSON path inside a batch.
 */
export function attributeField(prefix: string, name: string): string {
  return prefix === "" ? displayText(name === "" ? "(empty name)" : name) : joinPath(prefix, name);
}

/** Checks a CloudEvents extension attribute name: lower-case ASCII letters and digits only, bounded in length. */
export function checkExtensionName(name: string, field: string, maxLength: number): Rejection | undefined {
  if (!EXTENSION_NAME.test(name)) {
    return reject(
      RejectReason.InvalidAttribute,
      field,
      `extension attribute name ${quoted(name)} (${field}) must consist only of lower-case letters a-z and digits 0-9`,
    );
  }
  if (name.length > maxLength) {
    return reject(RejectReason.InvalidAttribute, field, `extension attribute name ${field} is longer than ${maxLength} characters`);
  }
  return undefined;
}
