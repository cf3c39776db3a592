-- wrk script for bench/load.py.
--
-- Counts the responses of a run by status class and prints one line at the end, which load.py
-- parses:   STATUS-CLASSES 2xx=<n> 3xx=<n> 4xx=<n> 5xx=<n> other=<n> 500=<n>
-- (500=: the 5xx that are 500s, not a 503 for a database that is restarting, say).
-- Each wrk thread has its own Lua state: setup() keeps every thread, done() adds their counts up.
--
-- With `-- cache-miss <run>` after the URL (<run>: a token of this run's own), each request
-- carries a query string never sent before (?load-test=<run>-<thread>-<n>), so that no cache can
-- answer it; otherwise every request is the URL.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_number", #threads)
end

function init(args)
   s2, s3, s4, s5, other, s500 = 0, 0, 0, 0, 0, 0
   cache_miss = args[1] == "cache-miss"
   run = args[2]
   sent = 0
end

function request()
   if cache_miss then
      sent = sent + 1
      return wrk.format(nil, wrk.path .. "?load-test=" .. run .. "-" .. thread_number .. "-" .. sent)
   end
   return wrk.format()
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      s2 = s2 + 1
   elseif status >= 300 and status < 400 then
      s3 = s3 + 1
   elseif status >= 400 and status < 500 then
      s4 = s4 + 1
   elseif status >= 500 and status < 600 then
      s5 = s5 + 1
      if status == 500 then
         s500 = s500 + 1
      end
   else
      other = other + 1
   end
end

function done(summary, latency, requests)
   local t2, t3, t4, t5, tother, t500 = 0, 0, 0, 0, 0, 0
   for _, thread in ipairs(threads) do
      t2 = t2 + thread:get("s2")
      t3 = t3 + thread:get("s3")
      t4 = t4 + thread:get("s4")
      t5 = t5 + thread:get("s5")
      tother = tother + thread:get("other")
      t500 = t500 + thread:get("s500")
   end
   io.write(string.format("STATUS-CLASSES 2xx=%d 3xx=%d 4xx=%d 5xx=%d other=%d 500=%d\n", t2, t3, t4, t5, tother, t500))
end
