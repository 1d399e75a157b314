/**
 * The V8 flags every Switchyard process runs with: the image sets them (deploy/Dockerfile, ENV
 * NODE_OPTIONS), `npm start` passes them, and `npm run bench` starts our processes with them, so what
 * is measured is what ships.
 *
 * Why: under load a page's objects (the legacy page parsed, the plan's results) outlive V8's default
 * 16 MiB young generation while up to 50 requests are in flight, get promoted, and are then collected
 * by the expensive old-generation GC. The profile put the garbage collector at 21 % of the co-located
 * process; with 32 MiB semi-spaces the same load took 27 % less CPU per page, peak RSS unchanged
 * within noise (bench/PROFILE.md, "Change 3").
 */
export const SWITCHYARD_NODE_OPTIONS = '--max-semi-space-size=32';
