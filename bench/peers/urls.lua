-- wrk script: each request takes the next path from the file named by the URLS environment
-- variable (one path per line), each thread starting at its own offset, so concurrent requests
-- ask for different renditions.
local paths = {}
local next_index = 1
local thread_count = 0

function setup(thread)
  thread:set("offset", thread_count * 997)
  thread_count = thread_count + 1
end

function init(args)
  for line in io.lines(os.getenv("URLS")) do
    paths[#paths + 1] = line
  end
  next_index = (offset or 0) % #paths + 1
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path)
end
