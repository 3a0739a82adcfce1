import { LIMITER_LUA_PRELUDE } from './redis-limiter-support.js';
import { RedisScript } from './redis-script.js';

/**
 * How long an idle bucket outlives the time it takes to refill, in ms. A missing bucket is a full
 * one, so a bucket may vanish once full; the margin keeps a bucket written on one clock (the
 * caller's) from vanishing early when that clock runs slower than Redis's.
 */
export const IDLE_BUCKET_MARGIN_MS = 10_000;

// Each bucket is a hash { level, at }: what it held at `at` (ms on the store's clock). Numbers are
// stored with %.17g, which round-trips every double: Lua's own number-to-string conversion
// keeps 14 digits and would round fractional levels. A bucket at capacity is deleted rather than
// written, and every written bucket expires once it would be full again (plus the margin).
const COMMON = `${LIMITER_LUA_PRELUDE}
-- The bucket's level refilled up to now, and the time it is valid at; a missing bucket is full.
-- A clock that steps back neither refills nor drains.
local function refilled(key, capacity, rate, now)
  local state = redis.call('HMGET', key, 'level', 'at')
  local level, at = tonumber(state[1]), tonumber(state[2])
  if level == nil or at == nil then return capacity, now end
  local elapsed = now - at
  if elapsed > 0 then
    level = level + elapsed * rate
    at = now
  end
  if level > capacity then level = capacity end
  return level, at
end

local function save(key, level, at, capacity, rate)
  if level >= capacity then
    redis.call('DEL', key)
    return
  end
  local ttl = math.ceil((capacity - level) / rate) + ${IDLE_BUCKET_MARGIN_MS}
  if ttl > 1e13 then ttl = 1e13 end
  redis.call('HSET', key, 'level', num(level), 'at', num(at))
  redis.call('PEXPIRE', key, string.format('%d', ttl))
end
`;

/**
 * KEYS: the buckets. ARGV: now ('' for Redis TIME), then amount, capacity, refillPerMs per key.
 * Returns { 1, '0' } when every bucket gave its amount, else { 0, waitMs } and takes nothing.
 * A key named twice is one bucket drawn from twice, as in the memory store.
 */
export const TAKE_SCRIPT = new RedisScript(`${COMMON}
local now = clock(ARGV[1])
local states = {}
local wait = 0
for i = 1, #KEYS do
  local key = KEYS[i]
  local amount, capacity, rate = tonumber(ARGV[i * 3 - 1]), tonumber(ARGV[i * 3]), tonumber(ARGV[i * 3 + 1])
  local state = states[key]
  if state == nil then
    local level, at = refilled(key, capacity, rate, now)
    state = { level = level, at = at, capacity = capacity, rate = rate }
    states[key] = state
  end
  local needed = math.min(amount, capacity)
  -- The epsilon absorbs float error in the refill, which would otherwise cost an extra 1 ms wait.
  if state.level + 1e-9 < needed then
    wait = math.max(wait, math.ceil((needed - state.level) / rate))
  end
end
if wait > 0 then return { 0, num(wait) } end
for i = 1, #KEYS do
  states[KEYS[i]].level = states[KEYS[i]].level - tonumber(ARGV[i * 3 - 1])
end
for key, state in pairs(states) do
  save(key, state.level, state.at, state.capacity, state.rate)
end
return { 1, '0' }
`);

/** KEYS: the bucket. ARGV: now, delta (> 0 charges, < 0 refunds), capacity, refillPerMs. */
export const ADJUST_SCRIPT = new RedisScript(`${COMMON}
local now = clock(ARGV[1])
local delta, capacity, rate = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local level, at = refilled(KEYS[1], capacity, rate, now)
level = math.min(capacity, level - delta)
save(KEYS[1], level, at, capacity, rate)
return 1
`);

/** KEYS: the bucket. ARGV: now, capacity, refillPerMs. Returns the level as a string; writes nothing. */
export const LEVEL_SCRIPT = new RedisScript(`${COMMON}
local now = clock(ARGV[1])
local level = refilled(KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[3]), now)
return num(level)
`);
