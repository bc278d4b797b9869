-- wrk script: each request takes the next path from the file named by the URLS environment
-- variable (one path per line). The wrk threads (THREADS of them, default 1) take disjoint
-- shares of the list — thread k the paths k, k + THREADS, ... — so that no two requests in
-- flight ask for the same rendition: imgline would answer the second from the first's render
-- (coalescing), and once two threads fell into step that way they stayed in step, which
-- inflated the renders/s measured before this script split the list.
local paths = {}
local next_index = 1
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local threads = tonumber(os.getenv("THREADS") or "1")
  local position = 0
  for line in io.lines(os.getenv("URLS")) do
    if position % threads == (id or 0) then
      paths[#paths + 1] = line
    end
    position = position + 1
  end
  next_index = 1
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path)
end
