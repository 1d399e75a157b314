import { readFileSync, statSync } from 'node:fs';

/**
 * Users one run compares at most. Every read is made as one staff user, so the legacy API's 75
 * requests a minute per user paces the run: 10 000 histories of a page or two take hours already.
 */
export const MAX_USERS = 10_000;
/** A users file larger than this is refused unread (10 000 names of 100 bytes). */
export const MAX_USERS_FILE_BYTES = 1024 * 1024;

// Django's username rule, which the LMS keeps (UnicodeUsernameValidator, max_length 150).
const USERNAME = /^[\w.@+-]{1,150}$/u;

export interface UserSources {
  positionals: readonly string[];
  /** `--learners 1-50`: the simulators' seeded learners learner1…learner50. */
  learners?: string;
  /** `--users-file <path>`: one username per line; blank lines and `#` comments skipped. */
  usersFile?: string;
}

/**
 * Every username to compare, in the order given (positionals, then the range, then the file), each
 * once; or the problem that stops the run before any upstream is read.
 */
export function usersToCompare(sources: UserSources): { users: string[] } | { problem: string } {
  const names: string[] = [...sources.positionals];
  if (sources.learners !== undefined) {
    const range = /^(\d{1,6})-(\d{1,6})$/.exec(sources.learners.trim());
    const [from, to] = range ? [Number(range[1]), Number(range[2])] : [0, 0];
    if (!range || from < 1 || to < from) {
      return {
        problem: `--learners "${sources.learners}": use <from>-<to>, e.g. 1-50 (learner1…learner50).`,
      };
    }
    if (to - from + 1 > MAX_USERS) return { problem: tooMany(to - from + 1) };
    for (let i = from; i <= to; i++) names.push(`learner${i}`);
  }
  if (sources.usersFile !== undefined) {
    let text: string;
    try {
      const size = statSync(sources.usersFile).size;
      if (size > MAX_USERS_FILE_BYTES) {
        return {
          problem: `--users-file ${sources.usersFile}: ${size} bytes, more than ${MAX_USERS_FILE_BYTES}.`,
        };
      }
      text = readFileSync(sources.usersFile, 'utf8');
    } catch (error) {
      return { problem: `--users-file ${sources.usersFile}: ${(error as Error).message}` };
    }
    const lines = text.split('\n').map((line) => line.replace(/#.*$/, '').trim());
    names.push(...lines.filter((line) => line !== ''));
  }
  const users = [...new Set(names)];
  if (users.length === 0) return { problem: 'No usernames given.' };
  if (users.length > MAX_USERS) return { problem: tooMany(users.length) };
  const bad = users.find((u) => !USERNAME.test(u));
  if (bad !== undefined) return { problem: `"${bad.slice(0, 160)}" is not a username.` };
  return { users };
}

const tooMany = (n: number) => `${n} users: one run compares at most ${MAX_USERS}; split the list.`;
