/** The most rejected lines a load reports one by one. */
export const MAX_REPORTED_REJECTIONS = 5;

/** The longest line (or CSV record) a source may hold; a longer one is rejected unread. */
export const MAX_LINE_LENGTH = 4096;

/** The most labels one indicator may state. */
export const MAX_INDICATOR_LABELS = 16;

/** The longest label an indicator may state. */
export const MAX_LABEL_LENGTH = 64;
