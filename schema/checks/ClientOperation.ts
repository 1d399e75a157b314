/** One operation a client ships (an entry of its persisted-query manifest), with the client's name. */
export interface ClientOperation {
  /** The name the client sends as `apollographql-client-name`, e.g. `order-history-mfe`. */
  client: string;
  /** The operation's name (`OrderHistory`); the manifest's id stands in for an anonymous one. */
  name: string;
  /** The manifest's id: the sha256 of `body`. */
  id: string;
  body: string;
}
