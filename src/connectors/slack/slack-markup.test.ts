import { describe, expect, it } from "vitest";
import { escapeSlackText } from "./slack-markup.ts";

describe("escapeSlackText", () => {
  it.each<[string, string]>([
    ["<!channel>", "&lt;!channel&gt;"],
    ["<!here|here>", "&lt;!here|here&gt;"],
    ["<@U1>", "&lt;@U1&gt;"],
    ["<#C1>", "&lt;#C1&gt;"],
    ["<https://evil.example|Approve>", "&lt;https://evil.example|Approve&gt;"],
    ["a & b", "a &amp; b"],
    ["&lt;!channel&gt;", "&amp;lt;!channel&amp;gt;"],
    ["*bold* _it_ `code` ~x~", "*bold* _it_ `code` ~x~"],
    ["", ""],
  ])("writes %j as %j", (text, escaped) => {
    expect(escapeSlackText(text)).toBe(escaped);
  });
});
