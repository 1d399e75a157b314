/** How often one client asked for one schema coordinate over the window, as the gateway counted it. */
export interface UsageEntry {
  client: string;
  coordinate: string;
  count: number;
}

export interface FieldUsage {
  /** Where the figures come from: a Prometheus URL or a file. */
  source: string;
  /** The window they cover (`7d`), or null for a scrape (counted since each gateway started). */
  window: string | null;
  entries: UsageEntry[];
}

/** The gateway's counter (gateway/plugins/countFieldUsage.ts); its labels are `client`, `client_version`, `coordinate`. */
export const FIELD_USAGE_METRIC = 'switchyard_field_usage_total';
