export interface ExplorerOptions {
  /** Pre-filled `Authorization` header value, e.g. `JWT eyJ…` (only when running on simulators). */
  demoAuthorization?: string;
  defaultQuery: string;
}
