-- A day calendar under change: GETs the DAYS' calendars in turn, and every EVERY-th request instead
-- changes the notes of one appointment of the next day (PUT), so that day's next read is not served
-- from memory. DAYS: comma-separated "YYYY-MM-DD=appointmentId".
local days = {}
for date, id in string.gmatch(os.getenv("DAYS") or "", "([^,=]+)=([^,]+)") do days[#days + 1] = { date = date, id = id } end
local every = tonumber(os.getenv("EVERY") or "10")
local n = 0
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local day = days[n % #days + 1]
  if n % every == 0 then
    return wrk.format("PUT", "/api/appointments/" .. day.id, nil, string.format('{"notes":"changed %d"}', n))
  end
  return wrk.format("GET", "/api/appointments/by-date/" .. day.date)
end
