-- Runs an Argo CD health script the way Argo CD does: the resource is the global `obj` and the
-- script returns { status, message }. Usage: lua5.4 harness.lua OBJECT.lua SCRIPT.lua
obj = dofile(arg[1])
local hs = dofile(arg[2])
io.write(tostring(hs.status), "\n", tostring(hs.message), "\n")
