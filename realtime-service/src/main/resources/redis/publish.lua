-- Sequences one event exactly once, whichever replica calls first: assigns each channel its next offset, appends
-- the publication to each channel's history and appends one entry to the fan-out stream every replica tails.
-- Later calls with the same event id (other replicas) get the first answer back with dup=1 and change nothing.
-- KEYS[1] = rt:seq:{event id}   KEYS[2] = rt:fanout   KEYS[3] = rt:seqpos:{domain stream}
-- KEYS[2+2i] = rt:meta:{channel i}   KEYS[3+2i] = rt:hist:{channel i}
-- ARGV[1] = publication JSON   ARGV[2] = history size   ARGV[3] = history ttl s   ARGV[4] = meta ttl s
-- ARGV[5] = epoch candidate    ARGV[6] = dedupe ttl s   ARGV[7] = fan-out approx maxlen
-- ARGV[8] = fan-out envelope head (JSON up to the positions)   ARGV[9] = envelope tail
-- ARGV[10] = the event's entry id in its domain stream   ARGV[11..] = channels
-- Returns {dup, fan-out id, channel 1, offset 1, epoch 1, ...}.

-- the cluster's position in the domain stream only moves forward: a replica starting after a full stop resumes there
local function advance(key, id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  if not ms then
    return
  end
  local current = redis.call('GET', key)
  if current then
    local cms, cseq = string.match(current, '^(%d+)-(%d+)$')
    if cms and (tonumber(cms) > tonumber(ms) or (cms == ms and tonumber(cseq) >= tonumber(seq))) then
      return
    end
  end
  redis.call('SET', key, id, 'EX', ARGV[6])
end

local done = redis.call('GET', KEYS[1])
if done then
  advance(KEYS[3], ARGV[10])
  return cjson.decode(done)
end
local out = {0, ''}
local positions = {}
for i = 1, #ARGV - 10 do
  local meta, hist, channel = KEYS[2 + 2 * i], KEYS[3 + 2 * i], ARGV[10 + i]
  local epoch = redis.call('HGET', meta, 'e')
  if not epoch then
    epoch = ARGV[5]
    -- a new epoch restarts offsets at 1, and XADD refuses ids below the stream's top: drop the old entries
    redis.call('DEL', hist)
    redis.call('HSET', meta, 'e', epoch, 's', 0)
  end
  local offset = redis.call('HINCRBY', meta, 's', 1)
  redis.call('EXPIRE', meta, ARGV[4])
  if tonumber(ARGV[2]) > 0 then
    -- entry id == offset, so recovery reads "everything after offset n" with one XRANGE
    redis.call('XADD', hist, 'MAXLEN', ARGV[2], offset .. '-0', 'p', ARGV[1])
    redis.call('EXPIRE', hist, ARGV[3])
  end
  out[#out + 1] = channel
  out[#out + 1] = offset
  out[#out + 1] = epoch
  positions[#positions + 1] = '[' .. cjson.encode(channel) .. ',' .. offset .. ',' .. cjson.encode(epoch) .. ']'
end
local envelope = ARGV[8] .. '[' .. table.concat(positions, ',') .. ']' .. ARGV[9]
out[2] = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], '*', 'event', envelope)
local dup = {1, out[2]}
for i = 3, #out do
  dup[i] = out[i]
end
redis.call('SET', KEYS[1], cjson.encode(dup), 'EX', ARGV[6])
advance(KEYS[3], ARGV[10])
return out
