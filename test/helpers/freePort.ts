import { freePorts } from '../../bench/freePorts';

/** A port nothing listens on right now (bound, read, released). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}
