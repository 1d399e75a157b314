/** Who is asking, as established from a verified JWT. */
export interface Identity {
  username: string;
  isStaff: boolean;
  /** The raw token, forwarded to upstreams that authorise the learner themselves (the legacy API). */
  token: string;
}
