-- One heartbeat of a learning session, as one atomic step. Times and positions in milliseconds.
-- KEYS: 1 session hash, 2 coverage of the learner's lesson, 3 the learner's credit lock,
--       4 the learner's credited-today counter, 5 event stream, 6 the learner's resume position,
--       7 the session's and 8 the caller's rate-limit counters
-- ARGV: 1 subject of the caller's token (must own the session), 2 now, 3 seq, 4 position, 5 rate, 6 state (playing,
--       paused, ended), 7 played intervals "s,e,s,e,...", 8 tolerance, 9 credit lock ttl,
--       10 daily cap, 11 day (Asia/Shanghai), 12 completion threshold, 13 session id,
--       14 session idle ttl, 15 heartbeats per session and 16 per caller per window, 17 the window
-- Returns {status, ack-json}: status ok | replay | stale | missing | ended, or {limited, ms to wait}.

local function flat(h)
  local t = {}
  for i = 1, #h, 2 do t[h[i]] = h[i + 1] end
  return t
end

-- "s,e,s,e" -> sorted, merged list of {s, e}
local function parse(text)
  local nums = {}
  for n in string.gmatch(text or '', '[^,]+') do nums[#nums + 1] = tonumber(n) end
  local list = {}
  for i = 1, #nums - 1, 2 do
    if nums[i + 1] > nums[i] then list[#list + 1] = {nums[i], nums[i + 1]} end
  end
  return list
end

local function merge(list)
  table.sort(list, function(a, b) return a[1] < b[1] end)
  local out = {}
  for _, iv in ipairs(list) do
    local last = out[#out]
    if last and iv[1] <= last[2] then
      if iv[2] > last[2] then last[2] = iv[2] end
    else
      out[#out + 1] = {iv[1], iv[2]}
    end
  end
  return out
end

local function length(list)
  local sum = 0
  for _, iv in ipairs(list) do sum = sum + iv[2] - iv[1] end
  return sum
end

local function encode(list)
  local parts = {}
  for _, iv in ipairs(list) do parts[#parts + 1] = iv[1] .. ',' .. iv[2] end
  return table.concat(parts, ',')
end

-- Parts of `played` (in playback order) not in `covered` (merged).
local function subtract(played, covered)
  local out = {}
  for _, iv in ipairs(played) do
    local s, e = iv[1], iv[2]
    for _, c in ipairs(covered) do
      if c[2] <= s or c[1] >= e then
        -- no overlap
      else
        if c[1] > s then out[#out + 1] = {s, c[1]} end
        s = math.max(s, c[2])
        if s >= e then break end
      end
    end
    if s < e then out[#out + 1] = {s, e} end
  end
  return out
end

-- Rate limits first: a flood is refused before any work, for any session id.
local function hit(key, limit, window)
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('PEXPIRE', key, window) end
  if count > limit then return redis.call('PTTL', key) end
  return nil
end
local wait = hit(KEYS[7], tonumber(ARGV[15]), tonumber(ARGV[17])) or hit(KEYS[8], tonumber(ARGV[16]), tonumber(ARGV[17]))
if wait then return {'limited', tostring(wait)} end

local h = flat(redis.call('HGETALL', KEYS[1]))
if h.subject == nil or h.subject ~= ARGV[1] then return {'missing', ''} end
if h.ended == '1' then return {'ended', h.ack or ''} end

local seq = tonumber(ARGV[3])
local lastSeq = tonumber(h.seq)
if seq == lastSeq then return {'replay', h.ack} end
if seq < lastSeq then return {'stale', h.ack} end

local now = tonumber(ARGV[2])
local duration = tonumber(h.duration)
local tol = tonumber(ARGV[8])
local state = ARGV[6]
local rate = tonumber(ARGV[5])
local lastHb = tonumber(h.lastHb)
local elapsed = math.max(0, now - lastHb)
local warnings = {}

local function clip(list)
  local out = {}
  for _, iv in ipairs(list) do
    local s, e = math.max(0, iv[1]), math.min(duration, iv[2])
    if e > s then out[#out + 1] = {s, e} end
  end
  return out
end

-- Played intervals, in playback order, clipped to the video.
local raw = parse(ARGV[7])
local played = clip(raw)
if length(played) < length(raw) then
  warnings[#warnings + 1] = 'clipped-to-duration'
end
local playedLen = length(merge(played))

-- A client whose last answer was lost resends the previous heartbeat's intervals first: they
-- were watched once, so they count once (coverage absorbs them anyway).
local previous = parse(h.played)
local resent = #previous > 0 and #raw >= #previous
if resent then
  for i = 1, #previous do
    if raw[i][1] ~= previous[i][1] or raw[i][2] ~= previous[i][2] then resent = false break end
  end
end
local newly = {}
for i = (resent and #previous + 1 or 1), #raw do newly[#newly + 1] = raw[i] end
local newlyLen = length(merge(clip(newly)))

-- Watch time: playing time, never more than the wall-clock time since the previous heartbeat.
local watchAdd = math.floor(newlyLen / rate + 0.5)
if watchAdd > elapsed + tol then
  watchAdd = elapsed + tol
end

-- One credited playback per learner at a time. The lock holds "session|expiry" in server time
-- (the clock of every other rule); Redis's own expiry only cleans up.
local holder = false
local lock = redis.call('GET', KEYS[3])
if lock then
  local sid, expiry = string.match(lock, '^([^|]+)|(%d+)$')
  if sid and tonumber(expiry) >= now then holder = sid end
end
local mayCredit = (holder == false) or (holder == ARGV[13])
if not mayCredit and playedLen > 0 then
  warnings[#warnings + 1] = 'concurrent-playback'
end
if mayCredit then
  if state == 'playing' and playedLen > 0 then
    redis.call('SET', KEYS[3], ARGV[13] .. '|' .. (now + tonumber(ARGV[9])), 'PX', tonumber(ARGV[9]))
  elseif holder == ARGV[13] and state ~= 'playing' then
    redis.call('DEL', KEYS[3])
  end
end

-- Credit budget: wall-clock time since the credit anchor, which never lags the previous heartbeat
-- (a pause banks nothing) and advances by what was credited (the tolerance counts once).
local anchor = math.max(tonumber(h.anchor), lastHb)
local budget = math.max(0, now + tol - anchor)

-- Daily cap, per learner across sessions.
local day = ARGV[11]
local dayWatch, dayCredited = tonumber(h.dwatch), tonumber(h.dcredited)
if h.day ~= day then dayWatch, dayCredited = 0, 0 end
local capLeft = math.max(0, tonumber(ARGV[10]) - tonumber(redis.call('GET', KEYS[4]) or '0'))

local covered = parse(redis.call('GET', KEYS[2]))
local fresh = subtract(played, merge(covered))
local freshLen = length(fresh)
local allowed = 0
if mayCredit then allowed = math.min(budget, capLeft) end
if mayCredit and freshLen > allowed then
  if capLeft < budget then
    warnings[#warnings + 1] = 'daily-cap'
  else
    warnings[#warnings + 1] = 'faster-than-real-time'
  end
end

-- Coverage grows only by what is credited: credited time is exactly coverage growth.
local accepted = {}
local left = allowed
for _, iv in ipairs(fresh) do
  if left <= 0 then break end
  local e = math.min(iv[2], iv[1] + left)
  accepted[#accepted + 1] = {iv[1], e}
  left = left - (e - iv[1])
end
local creditAdd = length(accepted)
if creditAdd > 0 then
  for _, iv in ipairs(accepted) do covered[#covered + 1] = iv end
  covered = merge(covered)
  redis.call('SET', KEYS[2], encode(covered), 'PX', 2592000000)
  redis.call('INCRBY', KEYS[4], creditAdd)
  redis.call('PEXPIRE', KEYS[4], 172800000)
end

local watch = tonumber(h.watch) + watchAdd
local credited = tonumber(h.credited) + creditAdd
dayWatch = dayWatch + watchAdd
dayCredited = dayCredited + creditAdd
local position = math.max(0, math.min(duration, tonumber(ARGV[4])))
redis.call('SET', KEYS[6], position, 'PX', 2592000000)
local coveredMs = length(merge(covered))

local ack = cjson.encode({
  ackSeq = seq,
  creditedSeconds = credited / 1000,
  watchSeconds = watch / 1000,
  coveredSeconds = coveredMs / 1000,
  coverage = coveredMs / duration,
  complete = coveredMs >= tonumber(ARGV[12]) * duration,
  credited = mayCredit,
  warnings = warnings
})
if #warnings == 0 then ack = string.gsub(ack, '"warnings":{}', '"warnings":[]') end

redis.call('XADD', KEYS[5], '*',
  'type', 'heartbeat', 'session', ARGV[13], 'learner', h.learner, 'lesson', h.lesson, 'course', h.course,
  'duration', duration, 'seq', seq, 'at', now, 'day', day, 'position', position,
  'watch', watch, 'credited', credited, 'dwatch', dayWatch, 'dcredited', dayCredited,
  'segments', encode(accepted))

redis.call('HSET', KEYS[1], 'seq', seq, 'lastHb', now, 'played', encode(raw), 'anchor', anchor + creditAdd, 'watch', watch,
  'credited', credited, 'day', day, 'dwatch', dayWatch, 'dcredited', dayCredited, 'pos', position,
  'ack', ack, 'state', state)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[14]))
return {'ok', ack}
