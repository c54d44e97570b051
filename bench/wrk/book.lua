-- Books appointments on random far-future dates and times, years 2100–2999 so that runs on the same database
-- rarely meet an earlier run's booking (the overlap check and its lock run
-- for real; a rare 409 when two land on the same slot shows up as non-2xx).
wrk.method = "POST"
wrk.path = "/api/appointments"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local patient, type = os.getenv("PATIENT"), os.getenv("TYPE")
-- Seeded per thread (each has a table of its own at another address): threads seeded alike booked the same
-- slots, and up to a quarter of a run's answers were 409s.
function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 100000) + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000003)
end
request = function()
  local day = os.time({ year = 2100, month = 1, day = 1 }) + math.random(0, 899 * 365) * 86400
  local body = string.format('{"patientId":"%s","appointmentTypeId":"%s","date":"%s","time":"%02d:%02d"}',
    patient, type, os.date("!%Y-%m-%d", day), math.random(8, 17), 15 * math.random(0, 3))
  return wrk.format(nil, nil, nil, body)
end
