-- GET one of the comma-separated PATHS (round robin) with the bearer TOKEN.
local paths = {}
for p in string.gmatch(os.getenv("PATHS") or "/", "([^,]+)") do paths[#paths + 1] = p end
local i = 0
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
