/**
 * `text` written for Slack's mrkdwn so that it reads as exactly `text`: `&`, `<` and `>` become
 * `&amp;`, `&lt;` and `&gt;`, the escaping Slack documents. What Slack reads as control
 * sequences all starts with `<` (`<!channel>`, `<!here>`, `<@U123>`, `<#C123>`,
 * `<https://…|label>`), so none survives. Emphasis characters (`*`, `_`, `~`, backquotes) are
 * left alone: they change how text looks, not whom it notifies or where it links.
 */
export function escapeSlackText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
