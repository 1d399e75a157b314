/**
 * The sliding-window log as one Lua script, so checking every bucket and counting in all of them is a
 * single atomic step however many gateway instances ask at once. Each bucket is a sorted set of the
 * admission times (score) in the window; it expires a window after its last admission.
 *
 * KEYS: the buckets. ARGV: now (ms), window (ms), a member unique to this request, then one limit per key.
 * Returns { 1, 0 } when admitted, { 0, wait ms } when refused (nothing counted).
 */
export const SLIDING_WINDOW_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local wait = 0
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local limit = tonumber(ARGV[3 + i])
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local blocking = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local w = tonumber(blocking[2]) + window - now
    if w < 1 then w = 1 end
    if w > wait then wait = w end
  end
end
if wait > 0 then return { 0, wait } end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, window)
end
return { 1, 0 }
`;
