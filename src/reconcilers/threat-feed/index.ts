// ThreatFeeds: the loader every replica runs to keep its intel store current, and the leader's
// controller that writes each feed's status.
export { createFeedFetcher, type FeedFetcher, type FeedFetcherOptions } from "./feed-fetch.ts";
export type { FeedLoadState, FeedLoadStates, LoadedIndex } from "./feed-load-state.ts";
export { createThreatFeedController, THREAT_FEED_CONTROLLER, type ThreatFeedControllerOptions } from "./threat-feed-controller.ts";
export { THREAT_FEED_LOADER, ThreatFeedLoader, type ThreatFeedLoaderOptions } from "./threat-feed-loader.ts";
