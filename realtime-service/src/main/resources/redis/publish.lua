-- Sequences a batch of events, each exactly once whichever replica calls first: assigns each of an event's channels
-- its next offset, appends the publication to each channel's history and appends one entry per event to the fan-out
-- stream every replica tails, all in this one atomic call, so fan-out order is offset order. An event another call
-- (another replica) sequenced already keeps its first answer (returned with dup=1) and changes nothing. Batching
-- matters for throughput: one call per event spent most of Redis's time on script dispatch and repeated EXPIREs.
-- KEYS[1] = rt:fanout, then per event: rt:seq:{event id}, rt:seqpos:{domain stream}, and per channel of the event
--   rt:meta:{channel}, rt:hist:{channel}
-- ARGV[1] = history size   ARGV[2] = history ttl s   ARGV[3] = meta ttl s   ARGV[4] = epoch candidate
-- ARGV[5] = dedupe ttl s   ARGV[6] = fan-out approx maxlen   ARGV[7] = number of events
-- then per event: publication JSON, fan-out envelope head (JSON up to the positions), envelope tail, the event's
--   entry id in its domain stream ('' for none), number of channels n, then per channel: its name and its owner
--   argument: '' (the channel has no owner), '?' (it has one, this event does not say who) or '=' .. the owner this
--   event claims (a task's user, a deployment's project)
-- Returns one reply per event: {dup, fan-out id, channel 1, offset 1, epoch 1, owner 1, ...}.
-- A history entry holds the publication ('p') and, for an event of several channels or with an owner, all its
-- positions ('pos', the JSON of the fan-out entry's): a connection replaying one of them knows where the event stands
-- in the others, and whose it is.
-- Owners: rt:owner:{channel} is set by the first event that claims one and kept (refreshed with each event of the
-- channel) as long as the channel's meta; every position in the channel carries it from then on.

local historySize = tonumber(ARGV[1])
local count = tonumber(ARGV[7])

local function parseId(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  if not ms then
    return nil
  end
  return {tonumber(ms), tonumber(seq)}
end

local function newer(a, b)
  return a[1] > b[1] or (a[1] == b[1] and a[2] > b[2])
end

-- the dedupe answers of the whole batch in one read
local seqKeys = {}
do
  local k = 2
  local a = 8
  for i = 1, count do
    seqKeys[i] = KEYS[k]
    local n = tonumber(ARGV[a + 4])
    k = k + 2 + 2 * n
    a = a + 5 + 2 * n
  end
end
local done = redis.call('MGET', unpack(seqKeys))

-- channel state read once per batch, written back once per batch (offsets counted here: the script is atomic)
local channels = {}
local channelOrder = {}
local function channelState(meta, hist)
  local state = channels[meta]
  if state then
    return state
  end
  local current = redis.call('HMGET', meta, 'e', 's')
  state = {meta = meta, hist = hist}
  if current[1] then
    state.epoch = current[1]
    state.offset = tonumber(current[2] or 0)
  else
    state.epoch = ARGV[4]
    state.offset = 0
    -- a new epoch restarts offsets at 1, and XADD refuses ids below the stream's top: drop the old entries
    redis.call('DEL', hist)
  end
  channels[meta] = state
  channelOrder[#channelOrder + 1] = state
  return state
end

-- channel owners, read once per batch; the first claim wins
local owners = {}
local ownerOrder = {}
local function ownerOf(channel, claim)
  if claim == '' then
    return ''
  end
  local state = owners[channel]
  if not state then
    local key = 'rt:owner:' .. channel
    state = {key = key, value = redis.call('GET', key) or '', claimed = false}
    owners[channel] = state
    ownerOrder[#ownerOrder + 1] = state
  end
  if state.value == '' and string.sub(claim, 1, 1) == '=' then
    state.value = string.sub(claim, 2)
    state.claimed = true
  end
  return state.value
end

-- the cluster's position in each domain stream only moves forward: a replica starting after a full stop resumes there
local positions = {}
local positionOrder = {}
local function noteposition(key, id)
  local parsed = parseId(id)
  if not parsed then
    return
  end
  local known = positions[key]
  if not known then
    positionOrder[#positionOrder + 1] = key
    positions[key] = {id = id, parsed = parsed}
  elseif newer(parsed, known.parsed) then
    positions[key] = {id = id, parsed = parsed}
  end
end

local replies = {}
local answered = {}
local k = 2
local a = 8
for i = 1, count do
  local seqKey, posKey = KEYS[k], KEYS[k + 1]
  local publication, head, tail, entryId, n = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], tonumber(ARGV[a + 4])
  local previous = answered[seqKey] or done[i]
  if previous then
    replies[i] = cjson.decode(previous)
  else
    local out = {0, ''}
    local pos = {}
    local states = {}
    local owned = false
    for c = 1, n do
      local channel = ARGV[a + 3 + 2 * c]
      local owner = ownerOf(channel, ARGV[a + 4 + 2 * c])
      local state = channelState(KEYS[k + 2 * c], KEYS[k + 1 + 2 * c])
      state.offset = state.offset + 1
      states[c] = state
      out[#out + 1] = channel
      out[#out + 1] = state.offset
      out[#out + 1] = state.epoch
      out[#out + 1] = owner
      -- offsets are formatted with %d: concatenated, Lua would print 1e+14 for large ones
      local position = '[' .. cjson.encode(channel) .. ',' .. string.format('%d', state.offset) .. ','
        .. cjson.encode(state.epoch)
      if owner ~= '' then
        position = position .. ',' .. cjson.encode(owner)
        owned = true
      end
      pos[#pos + 1] = position .. ']'
    end
    local positions = '[' .. table.concat(pos, ',') .. ']'
    if historySize > 0 then
      for c = 1, n do
        local state = states[c]
        -- entry id == offset, so recovery reads "everything after offset n" with one XRANGE
        if n > 1 or owned then
          redis.call('XADD', state.hist, 'MAXLEN', ARGV[1], string.format('%d-0', state.offset), 'p', publication, 'pos', positions)
        else
          redis.call('XADD', state.hist, 'MAXLEN', ARGV[1], string.format('%d-0', state.offset), 'p', publication)
        end
      end
    end
    local envelope = head .. positions .. tail
    out[2] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[6], '*', 'event', envelope)
    local dup = {1, out[2]}
    for j = 3, #out do
      dup[j] = out[j]
    end
    local encoded = cjson.encode(dup)
    redis.call('SET', seqKey, encoded, 'EX', ARGV[5])
    answered[seqKey] = encoded
    replies[i] = out
  end
  noteposition(posKey, entryId)
  k = k + 2 + 2 * n
  a = a + 5 + 2 * n
end

for _, state in ipairs(channelOrder) do
  redis.call('HSET', state.meta, 'e', state.epoch, 's', state.offset)
  redis.call('EXPIRE', state.meta, ARGV[3])
  if historySize > 0 then
    redis.call('EXPIRE', state.hist, ARGV[2])
  end
end

for _, state in ipairs(ownerOrder) do
  if state.claimed then
    redis.call('SET', state.key, state.value, 'EX', ARGV[3])
  elseif state.value ~= '' then
    redis.call('EXPIRE', state.key, ARGV[3])
  end
end

for _, key in ipairs(positionOrder) do
  local target = positions[key]
  local current = redis.call('GET', key)
  local parsed = current and parseId(current)
  if not parsed or newer(target.parsed, parsed) then
    redis.call('SET', key, target.id, 'EX', ARGV[5])
  end
end

return replies
