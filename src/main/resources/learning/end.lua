-- Ends a learning session. KEYS: 1 session hash, 2 the learner's credit lock, 3 event stream.
-- ARGV: 1 subject (the session's owner), 2 now, 3 session id. Returns {status, ack-json}.
local h = {}
local raw = redis.call('HGETALL', KEYS[1])
for i = 1, #raw, 2 do h[raw[i]] = raw[i + 1] end
if h.subject == nil or h.subject ~= ARGV[1] then return {'missing', ''} end
if h.ended == '1' then return {'ended', h.ack or ''} end
local lock = redis.call('GET', KEYS[2])
if lock and string.match(lock, '^[^|]+') == ARGV[3] then redis.call('DEL', KEYS[2]) end
redis.call('HSET', KEYS[1], 'ended', '1')
redis.call('XADD', KEYS[3], '*',
  'type', 'end', 'session', ARGV[3], 'learner', h.learner, 'lesson', h.lesson, 'course', h.course,
  'duration', h.duration, 'seq', h.seq, 'at', ARGV[2], 'day', h.day, 'position', h.pos,
  'watch', h.watch, 'credited', h.credited, 'dwatch', h.dwatch, 'dcredited', h.dcredited, 'segments', '')
return {'ok', h.ack or ''}
