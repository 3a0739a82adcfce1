import { LIMITER_LUA_PRELUDE } from './redis-limiter-support.js';
import { RedisScript } from './redis-script.js';

/**
 * How long an idle window's keys outlive the window, in ms. Entries older than the window are
 * dropped anyway; the margin keeps a log written on one clock (the caller's) from vanishing early
 * when that clock runs slower than Redis's.
 */
export const IDLE_WINDOW_MARGIN_MS = 10_000;

// Each window is two keys sharing a hash tag: a ZSET of entry ids scored by their time (ms on the
// store's clock) and a HASH of each id's amount plus two fields of its own, `sum` (the amounts
// still in the window) and `last` (the newest entry's time: the store's clock for the key never
// goes below it, so entries are appended in time order whatever the callers' clocks say). Ids
// never read 'sum' or 'last' (the store makes them `<hex>.<n>`). Numbers are written with %.17g,
// which round-trips every double: Lua's own conversion keeps 14 digits and would round times and
// fractional amounts. Both keys expire a window (plus the margin) after their last write.
const COMMON = `${LIMITER_LUA_PRELUDE}
-- The store's time for a set of windows: now, or the newest entry of any of them if later.
local function monotonic(now, first, step)
  local at = now
  for i = first, #KEYS, step do
    local last = tonumber(redis.call('HGET', KEYS[i], 'last'))
    if last ~= nil and last > at then at = last end
  end
  return at
end

-- HMGET and HDEL over many fields, in slices: unpack() of thousands of values overflows Lua's stack.
local function hmget(meta, ids)
  local out = {}
  for from = 1, #ids, 1000 do
    local got = redis.call('HMGET', meta, unpack(ids, from, math.min(from + 999, #ids)))
    for j = 1, #got do out[#out + 1] = got[j] end
  end
  return out
end

local function hdel(meta, ids)
  for from = 1, #ids, 1000 do redis.call('HDEL', meta, unpack(ids, from, math.min(from + 999, #ids))) end
end

-- Drops the entries at or before at - window from the log and its sum; returns the sum left.
local function trim(log, meta, at, window)
  local cutoff = num(at - window)
  local sum = tonumber(redis.call('HGET', meta, 'sum')) or 0
  local gone = redis.call('ZRANGEBYSCORE', log, '-inf', cutoff)
  if #gone > 0 then
    local amounts = hmget(meta, gone)
    for j = 1, #gone do sum = sum - (tonumber(amounts[j]) or 0) end
    redis.call('ZREMRANGEBYSCORE', log, '-inf', cutoff)
    hdel(meta, gone)
    -- An empty log sums to 0 exactly: float error in fractional sums never outlives the entries.
    if redis.call('EXISTS', log) == 0 then sum = 0 end
    redis.call('HSET', meta, 'sum', num(sum))
  end
  return sum
end

local function save(log, meta, sum, at, window)
  local ttl = string.format('%d', math.ceil(window) + ${IDLE_WINDOW_MARGIN_MS})
  redis.call('HSET', meta, 'sum', num(sum), 'last', num(at))
  redis.call('PEXPIRE', meta, ttl)
  redis.call('PEXPIRE', log, ttl)
end

-- 0 when nothing is in excess (the draw fits), else the ms until the oldest entries holding
-- \`excess\` have left the window. Walks them a few at a time, as few are needed for small draws.
local function wait_for(log, meta, excess, at, window)
  if excess <= 1e-9 then return 0 end
  local freed, found, from = 0, nil, 0
  while found == nil do
    local page = redis.call('ZRANGE', log, from, from + 31, 'WITHSCORES')
    if #page == 0 then break end
    local ids = {}
    for j = 1, #page, 2 do ids[#ids + 1] = page[j] end
    local amounts = redis.call('HMGET', meta, unpack(ids))
    for j = 1, #page, 2 do
      freed = freed + (tonumber(amounts[(j + 1) / 2]) or 0)
      if excess - freed <= 1e-9 then
        found = tonumber(page[j + 1])
        break
      end
    end
    from = from + 32
  end
  if found == nil then found = at end
  return math.max(1, math.ceil(found + window - at))
end

local function append(log, meta, at, id, amount)
  redis.call('ZADD', log, num(at), id)
  redis.call('HSET', meta, id, num(amount))
end
`;

/**
 * KEYS: per draw, its log (ZSET) then its meta (HASH). ARGV: now ('' for Redis TIME), the
 * admission id, then amount, max, windowMs per draw. Returns { 1, at } (the store's time given to
 * the entries) when every window admitted its amount, else { 0, waitMs } and admits nothing.
 * An amount above max is capped at max for the check: it fits once its window sums to 0.
 */
export const TAKE_SCRIPT = new RedisScript(`${COMMON}
local at = monotonic(clock(ARGV[1]), 2, 2)
local id = ARGV[2]
local draws = {}
local wait = 0
for i = 1, #KEYS / 2 do
  local log, meta = KEYS[i * 2 - 1], KEYS[i * 2]
  local amount, max, window = tonumber(ARGV[i * 3]), tonumber(ARGV[i * 3 + 1]), tonumber(ARGV[i * 3 + 2])
  local sum = trim(log, meta, at, window)
  draws[i] = { log = log, meta = meta, amount = amount, window = window, sum = sum }
  local w = wait_for(log, meta, sum + math.min(amount, max) - max, at, window)
  if w > wait then wait = w end
end
if wait > 0 then return { 0, num(wait) } end
for _, d in ipairs(draws) do
  append(d.log, d.meta, at, id, d.amount)
  save(d.log, d.meta, d.sum + d.amount, at, d.window)
end
return { 1, num(at) }
`);

/**
 * KEYS: per window, its log (ZSET) then its meta (HASH). ARGV: now ('' for Redis TIME), the
 * number of sets n, then max and windowMs per window, then per set its admission id and its
 * amount in each window. Admits the sets in order, each into every window or into none, and stops
 * at the first that does not fit, exactly as n single takes at one time would. Returns
 * { admitted, at, waitMs }: how many sets were admitted (the first ones), the store's time given to
 * their entries, and the refused set's wait (0 when all were admitted).
 */
export const TAKE_BATCH_SCRIPT = new RedisScript(`${COMMON}
local at = monotonic(clock(ARGV[1]), 2, 2)
local n = tonumber(ARGV[2])
local windows = #KEYS / 2
local logs, metas, maxes, spans, sums = {}, {}, {}, {}, {}
for i = 1, windows do
  logs[i], metas[i] = KEYS[i * 2 - 1], KEYS[i * 2]
  maxes[i], spans[i] = tonumber(ARGV[1 + i * 2]), tonumber(ARGV[2 + i * 2])
  sums[i] = trim(logs[i], metas[i], at, spans[i])
end
local base = 2 + windows * 2
local admitted, wait = 0, 0
for s = 1, n do
  local first = base + (s - 1) * (windows + 1)
  for i = 1, windows do
    local amount = tonumber(ARGV[first + i + 1])
    local w = wait_for(logs[i], metas[i], sums[i] + math.min(amount, maxes[i]) - maxes[i], at, spans[i])
    if w > wait then wait = w end
  end
  if wait > 0 then break end
  local id = ARGV[first + 1]
  for i = 1, windows do
    local amount = tonumber(ARGV[first + i + 1])
    append(logs[i], metas[i], at, id, amount)
    sums[i] = sums[i] + amount
  end
  admitted = s
end
if admitted > 0 then
  for i = 1, windows do save(logs[i], metas[i], sums[i], at, spans[i]) end
end
return { admitted, num(at), num(wait) }
`);

/**
 * KEYS: the log, the meta. ARGV: now, delta, windowMs, the admission's id, a fresh id. A refund
 * (delta < 0) shrinks the admission's entry, never below 0, and does nothing once it has left the
 * window; a charge (delta > 0) adds an entry of delta under the fresh id at the store's time.
 */
export const ADJUST_SCRIPT = new RedisScript(`${COMMON}
local at = monotonic(clock(ARGV[1]), 2, 2)
local delta, window, id, fresh = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]
local log, meta = KEYS[1], KEYS[2]
local sum = trim(log, meta, at, window)
if delta > 0 then
  append(log, meta, at, fresh, delta)
  save(log, meta, sum + delta, at, window)
  return 1
end
-- The admission's entry, or nothing once it has left the window (or the keys expired).
local amount = tonumber(redis.call('HGET', meta, id))
if amount == nil then return 0 end
local reduced = math.max(0, amount + delta)
redis.call('HSET', meta, id, num(reduced), 'sum', num(sum - (amount - reduced)))
return 1
`);

/**
 * KEYS: the log, the meta. ARGV: now, windowMs. Returns the sum of the entries in the window at
 * the store's time, as a string; writes nothing.
 */
export const USAGE_SCRIPT = new RedisScript(`${COMMON}
local at = monotonic(clock(ARGV[1]), 2, 2)
local window = tonumber(ARGV[2])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. num(at - window), '+inf')
local sum = 0
if #ids > 0 then
  local amounts = hmget(KEYS[2], ids)
  for j = 1, #ids do sum = sum + (tonumber(amounts[j]) or 0) end
end
return num(sum)
`);
