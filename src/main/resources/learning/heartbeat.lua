-- The learning hot path, as one atomic step per call: an online heartbeat, an offline play, or the
-- end of a session. Times are server epoch milliseconds, positions video milliseconds.
--
-- The invariant it keeps, per learner (not per session): every credited millisecond of video is
-- stamped with a distinct millisecond of server wall-clock time, taken from the learner's credit
-- clock (the merged list of wall-clock spans already spent on credit, across all sessions,
-- devices and offline plays). A call may stamp only wall-clock time inside its window:
--   online:  (the session's previous heartbeat - tolerance, but not before its start, now + tolerance]
--   offline: [the play's start, min(the play's end, now)]   (no tolerance, never the future)
-- so in any window [a, b] of server time at most (b - a) + one tolerance of credit is stamped,
-- however many sessions, devices or plays claim it. Watch time obeys the same rule on a clock
-- of its own. Credit is coverage growth, so a lesson never credits more than its duration.
--
-- The contract with HotPath.java: KEYS and ARGV by name, in this order. HotPathContractTest fails
-- when these lists and the Java records HotPath.Keys and HotPath.Call drift apart.
local KEY_NAMES = {'session', 'coverage', 'lock', 'creditedToday', 'creditClock', 'watchClock', 'resume',
  'learnerRate', 'sessionRate', 'stream'}
local ARG_NAMES = {'mode', 'subject', 'now', 'at', 'seq', 'position', 'rate', 'state', 'played', 'day',
  'windowStart', 'lookBack', 'windowEnd', 'lockTtl', 'dailyCap', 'completionThreshold', 'sessionTtl', 'perSession',
  'perLearner', 'rateWindow', 'clockRetention', 'lessonStateTtl', 'dayCounterTtl', 'clockTtl'}
-- Returns {status, answer-json, refusal reasons...}: status ok | replay | stale | missing | ended,
-- or {limited, ms to wait}.

local K, A = {}, {}
for i, name in ipairs(KEY_NAMES) do K[name] = KEYS[i] end
for i, name in ipairs(ARG_NAMES) do A[name] = ARGV[i] end

local function flat(h)
  local t = {}
  for i = 1, #h, 2 do t[h[i]] = h[i + 1] end
  return t
end

-- "s,e,s,e" -> list of {s, e} with e > s, in the order given
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
  local copy = {}
  for i, iv in ipairs(list) do copy[i] = {iv[1], iv[2]} end
  table.sort(copy, function(a, b) return a[1] < b[1] end)
  local out = {}
  for _, iv in ipairs(copy) do
    local last = out[#out]
    if last and iv[1] <= last[2] then
      if iv[2] > last[2] then last[2] = iv[2] end
    else
      out[#out + 1] = iv
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
  for _, iv in ipairs(list) do parts[#parts + 1] = string.format('%d,%d', iv[1], iv[2]) end
  return table.concat(parts, ',')
end

-- Parts of `list` (in its order) not in `covered` (merged).
local function subtract(list, covered)
  local out = {}
  for _, iv in ipairs(list) do
    local s, e = iv[1], iv[2]
    for _, c in ipairs(covered) do
      if c[1] >= e then break end
      if c[2] > s then
        if c[1] > s then out[#out + 1] = {s, c[1]} end
        s = math.max(s, c[2])
        if s >= e then break end
      end
    end
    if s < e then out[#out + 1] = {s, e} end
  end
  return out
end

-- Each instant once: what an interval repeats of earlier ones in the list is dropped (order kept).
local function dedupe(list)
  local seen, out = {}, {}
  for _, iv in ipairs(list) do
    for _, part in ipairs(subtract({iv}, seen)) do out[#out + 1] = part end
    seen = merge({iv, unpack(seen)})
  end
  return out
end

-- The first `amount` milliseconds of a list, in its order.
local function take(list, amount)
  local out = {}
  for _, iv in ipairs(list) do
    if amount <= 0 then break end
    local e = math.min(iv[2], iv[1] + amount)
    out[#out + 1] = {iv[1], e}
    amount = amount - (e - iv[1])
  end
  return out
end

-- A clock without the spans that ended before the horizon.
local function prune(clock, horizon)
  local out = {}
  for _, iv in ipairs(clock) do
    if iv[2] > horizon then out[#out + 1] = iv end
  end
  return out
end

local function hit(key, limit, window)
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('PEXPIRE', key, window) end
  if count > limit then return redis.call('PTTL', key) end
  return nil
end

local function seconds(ms)
  return string.format('%.3f', ms / 1000)
end

-- The answer, built here and passed through by Java as it is. `refused` lists {reason, ms}.
local function answer(seq, creditAdd, watchAdd, rewatched, refused, holder, credited, watch, coveredMs, duration)
  local refusedMs, items, warnings = 0, {}, {}
  for _, r in ipairs(refused) do
    refusedMs = refusedMs + r[2]
    items[#items + 1] = string.format('{"reason":"%s","seconds":%s}', r[1], seconds(r[2]))
    warnings[#warnings + 1] = '"' .. r[1] .. '"'
  end
  return string.format('{"ackSeq":%d,"creditedNow":%s,"watchedNow":%s,"rewatchedNow":%s,"refusedSeconds":%s,'
      .. '"refused":[%s],"creditHolder":%s,"session":{"creditedSeconds":%s,"watchSeconds":%s},'
      .. '"lesson":{"coveredSeconds":%s,"durationSeconds":%s,"coverage":%.4f,"complete":%s},"warnings":[%s]}',
    seq, seconds(creditAdd), seconds(watchAdd), seconds(rewatched), seconds(refusedMs), table.concat(items, ','),
    tostring(holder), seconds(credited), seconds(watch), seconds(coveredMs), seconds(duration), coveredMs / duration,
    tostring(coveredMs >= tonumber(A.completionThreshold) * duration), table.concat(warnings, ','))
end

local mode = A.mode
local online = mode == 'online'

-- Rate limits: the caller's own first, then ownership, then the session's, so that requests to a
-- session that is not the caller's cost that session nothing.
if online then
  local wait = hit(K.learnerRate, tonumber(A.perLearner), tonumber(A.rateWindow))
  if wait then return {'limited', tostring(wait)} end
end
local h = flat(redis.call('HGETALL', K.session))
if h.subject == nil or h.subject ~= A.subject then return {'missing', ''} end
if online then
  local wait = hit(K.sessionRate, tonumber(A.perSession), tonumber(A.rateWindow))
  if wait then return {'limited', tostring(wait)} end
end
if h.ended == '1' then return {'ended', h.ack or ''} end

local now = tonumber(A.now)

if mode == 'end' then
  local lock = redis.call('GET', K.lock)
  if lock and string.match(lock, '^[^|]+') == h.id then redis.call('DEL', K.lock) end
  redis.call('HSET', K.session, 'ended', '1')
  redis.call('XADD', K.stream, '*',
    'type', 'end', 'session', h.id, 'learner', h.learner, 'lesson', h.lesson, 'course', h.course,
    'duration', h.duration, 'seq', h.seq, 'at', now, 'day', h.day, 'position', h.pos,
    'watch', h.watch, 'credited', h.credited, 'dwatch', h.dwatch, 'dcredited', h.dcredited, 'segments', '', 'clock', '')
  local ack = h.ack
  if ack == nil then
    local coveredMs = length(merge(parse(redis.call('GET', K.coverage))))
    ack = answer(0, 0, 0, 0, {}, false, 0, 0, coveredMs, tonumber(h.duration))
    redis.call('HSET', K.session, 'ack', ack)
  end
  return {'ok', ack}
end

local seq = tonumber(A.seq)
local lastSeq = tonumber(h.seq)
if seq == lastSeq then return {'replay', h.ack} end
if seq < lastSeq then
  -- The answer of the newest heartbeat, flagged: this one changed nothing.
  local ack
  if string.find(h.ack, '"warnings":[]', 1, true) then
    ack = (string.gsub(h.ack, '"warnings":%[%]', '"warnings":["stale-seq"]', 1))
  else
    ack = (string.gsub(h.ack, '"warnings":%[', '"warnings":["stale-seq",', 1))
  end
  return {'stale', ack}
end

local duration = tonumber(h.duration)
local rate = tonumber(A.rate)
local state = A.state
local refused = {}
local function refuse(reason, ms)
  if ms > 0 then refused[#refused + 1] = {reason, ms} end
end

local function clip(list)
  local out = {}
  for _, iv in ipairs(list) do
    local s, e = math.max(0, iv[1]), math.min(duration, iv[2])
    if e > s then out[#out + 1] = {s, e} end
  end
  return out
end

-- What was played, in playback order: clipped to the video, each instant once.
local raw = parse(A.played)
local clipped = clip(raw)
refuse('outside-video', length(raw) - length(clipped))
local played = dedupe(clipped)
refuse('duplicate-interval', length(clipped) - length(played))

-- A client whose last answer was lost resends the previous heartbeat's intervals first: they
-- were watched once, so they count once as watch time (coverage absorbs them anyway).
local previous = parse(h.played)
local resent = #previous > 0 and #raw >= #previous
if resent then
  for i = 1, #previous do
    if raw[i][1] ~= previous[i][1] or raw[i][2] ~= previous[i][2] then resent = false break end
  end
end
local newly = {}
for i = (resent and #previous + 1 or 1), #raw do newly[#newly + 1] = raw[i] end
local watchWant = math.floor(length(dedupe(clip(newly))) / rate + 0.5)

-- One crediting playback per learner at a time. The lock holds "session|expiry" in server time
-- (the clock of every other rule); Redis's own expiry only cleans up. Offline plays take no lock:
-- their wall-clock span is checked against the credit clock instead.
local holder = false
local mayCredit = true
if online then
  local lock = redis.call('GET', K.lock)
  if lock then
    local sid, expiry = string.match(lock, '^([^|]+)|(%d+)$')
    if sid and tonumber(expiry) >= now then holder = sid end
  end
  mayCredit = (holder == false) or (holder == h.id)
end

-- The wall-clock window this call may stamp: never before the session's start, nor more than the
-- look-back (the tolerance: network delay of the previous answer) before its previous heartbeat,
-- so a pause or a silence banks nothing; never past the end the caller computed.
local lo = math.max(tonumber(A.windowStart), tonumber(h.started), tonumber(h.lastHb) - tonumber(A.lookBack))
local hi = tonumber(A.windowEnd)
local horizon = now - tonumber(A.clockRetention)
local creditClock = prune(merge(parse(redis.call('GET', K.creditClock))), horizon)
local watchClock = prune(merge(parse(redis.call('GET', K.watchClock))), horizon)
local window = {}
if hi > lo then window = {{lo, hi}} end
local free = subtract(window, creditClock)
local freeLen = length(free)

local covered = merge(parse(redis.call('GET', K.coverage)))
local fresh = subtract(played, covered)
local freshLen = length(fresh)
local rewatched = length(played) - freshLen
local capLeft = math.max(0, tonumber(A.dailyCap) - tonumber(redis.call('GET', K.creditedToday) or '0'))

local creditAdd = 0
if not mayCredit then
  refuse('concurrent-playback', freshLen)
else
  refuse('faster-than-real-time', math.max(0, freshLen - freeLen))
  refuse('daily-cap', math.max(0, math.min(freshLen, freeLen) - capLeft))
  creditAdd = math.min(freshLen, freeLen, capLeft)
end

-- Coverage grows only by what is credited, and each credited millisecond takes the earliest free
-- millisecond of the window from the credit clock.
local accepted = take(fresh, creditAdd)
local stamps = take(free, creditAdd)
if creditAdd > 0 then
  for _, iv in ipairs(accepted) do covered[#covered + 1] = iv end
  covered = merge(covered)
  redis.call('SET', K.coverage, encode(covered), 'PX', A.lessonStateTtl)
  redis.call('INCRBY', K.creditedToday, creditAdd)
  redis.call('PEXPIRE', K.creditedToday, A.dayCounterTtl)
  for _, iv in ipairs(stamps) do creditClock[#creditClock + 1] = iv end
  redis.call('SET', K.creditClock, encode(merge(creditClock)), 'PX', A.clockTtl)
end

-- Watch time: playing time, stamped on the learner's watch clock within the same window.
local watchFree = subtract(window, watchClock)
local watchAdd = math.min(watchWant, length(watchFree))
if watchAdd > 0 then
  for _, iv in ipairs(take(watchFree, watchAdd)) do watchClock[#watchClock + 1] = iv end
  redis.call('SET', K.watchClock, encode(merge(watchClock)), 'PX', A.clockTtl)
end

if online and mayCredit then
  if state == 'playing' and #played > 0 then
    redis.call('SET', K.lock, h.id .. '|' .. string.format('%d', now + tonumber(A.lockTtl)), 'PX', tonumber(A.lockTtl))
  elseif holder == h.id and state ~= 'playing' then
    redis.call('DEL', K.lock)
  end
end

local day = A.day
local dayWatch, dayCredited = tonumber(h.dwatch), tonumber(h.dcredited)
if h.day ~= day then dayWatch, dayCredited = 0, 0 end
local watch = tonumber(h.watch) + watchAdd
local credited = tonumber(h.credited) + creditAdd
dayWatch = dayWatch + watchAdd
dayCredited = dayCredited + creditAdd
local position = math.max(0, math.min(duration, tonumber(A.position)))
redis.call('SET', K.resume, position, 'PX', A.lessonStateTtl)
local coveredMs = length(covered)

local ack = answer(seq, creditAdd, watchAdd, rewatched, refused, mayCredit, credited, watch, coveredMs, duration)

local at = tonumber(A.at)
local ended = not online
redis.call('XADD', K.stream, '*',
  'type', ended and 'end' or 'heartbeat', 'session', h.id, 'learner', h.learner, 'lesson', h.lesson,
  'course', h.course, 'duration', duration, 'seq', seq, 'at', at, 'day', day, 'position', position,
  'watch', watch, 'credited', credited, 'dwatch', dayWatch, 'dcredited', dayCredited,
  'segments', encode(accepted), 'clock', encode(stamps))

redis.call('HSET', K.session, 'seq', seq, 'lastHb', at, 'played', encode(raw), 'watch', watch,
  'credited', credited, 'day', day, 'dwatch', dayWatch, 'dcredited', dayCredited, 'pos', position,
  'ack', ack, 'state', state, 'ended', ended and '1' or '0')
redis.call('PEXPIRE', K.session, tonumber(A.sessionTtl))
local reply = {'ok', ack}
for _, r in ipairs(refused) do reply[#reply + 1] = r[1] end
return reply
