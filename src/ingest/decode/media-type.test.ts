import { describe, expect, it } from "vitest";
import { contentModeOf, dataFormatOf, parseMediaType } from "./media-type.ts";

describe("parseMediaType", () => {
  it.each([
    ["application/json", { essence: "application/json" }],
    ["Application/JSON; charset=UTF-8", { essence: "application/json", charset: "utf-8" }],
    ['application/cloudevents+json; charset="utf-8"', { essence: "application/cloudevents+json", charset: "utf-8" }],
    ["text/plain;foo=bar; charset=us-ascii", { essence: "text/plain", charset: "us-ascii" }],
    [" text/plain ", { essence: "text/plain" }],
  ])("%j parses", (value, expected) => {
    expect(parseMediaType(value)).toEqual(expected);
  });

  it.each(["", "json", "application/", "/json", "application/json extra", "appli cation/json", "application/js\u0000on"])("%j is malformed", (value) => {
    expect(parseMediaType(value)).toBeUndefined();
  });
});

describe("dataFormatOf", () => {
  it.each([
    ["application/json", "json"],
    ["text/json", "json"],
    ["application/vnd.falco+json", "json"],
    ["application/json; charset=utf-8", "json"],
    ["application/json; charset=iso-8859-1", "unsupported"],
    ["text/plain", "text"],
    ["text/x-log; charset=utf8", "text"],
    ["application/octet-stream", "unsupported"],
    ["application/xml", "unsupported"],
  ])("%j is read as %s", (value, format) => {
    const mediaType = parseMediaType(value);
    expect(mediaType).toBeDefined();
    if (mediaType !== undefined) expect(dataFormatOf(mediaType)).toBe(format);
  });
});

describe("contentModeOf", () => {
  it.each([
    ["application/cloudevents+json; charset=utf-8", "structured"],
    ["application/cloudevents-batch+json", "batch"],
    ["application/cloudevents+avro", "other-event-format"],
    ["application/cloudevents+protobuf", "other-event-format"],
    ["application/json", "none"],
  ])("%j selects %s", (value, mode) => {
    expect(contentModeOf(parseMediaType(value))).toBe(mode);
  });

  it("selects none without a media type", () => {
    expect(contentModeOf(undefined)).toBe("none");
  });
});
