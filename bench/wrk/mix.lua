-- Mixed load: GETs the comma-separated PATHS in turn (round robin) with the bearer TOKEN, and every
-- BOOK_EVERY-th request (default 10; 0: never) instead books an appointment for PATIENT of TYPE on a
-- random far-future date and time, as book.lua does (a rare 409 on a taken slot shows up as non-2xx).
local paths = {}
for p in string.gmatch(os.getenv("PATHS") or "/", "([^,]+)") do paths[#paths + 1] = p end
local every = tonumber(os.getenv("BOOK_EVERY") or "10")
local patient, type = os.getenv("PATIENT"), os.getenv("TYPE")
local i, n = 0, 0
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Content-Type"] = "application/json"
math.randomseed(os.time() + math.floor(os.clock() * 100000))
request = function()
  n = n + 1
  if every > 0 and patient and n % every == 0 then
    local day = os.time({ year = 2100, month = 1, day = 1 }) + math.random(0, 899 * 365) * 86400
    local body = string.format('{"patientId":"%s","appointmentTypeId":"%s","date":"%s","time":"%02d:%02d"}',
      patient, type, os.date("!%Y-%m-%d", day), math.random(8, 17), 15 * math.random(0, 3))
    return wrk.format("POST", "/api/appointments", nil, body)
  end
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
