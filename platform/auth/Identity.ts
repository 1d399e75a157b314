/** Who is asking, as established from a verified JWT. */
export interface Identity {
  username: string;
  isStaff: boolean;
  /** The LMS user id (the JWT's `user_id` claim), when the token carries one: stable across renames. */
  userId?: number;
  /** The raw token, forwarded to upstreams that authorise the learner themselves (the legacy API). */
  token: string;
}
