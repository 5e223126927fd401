"""Times a run of `ovopsim serve`: first replication, the scenario's 20, and the baseline's.

Usage: start `ovopsim serve --port 18099`, then `python3 examples/serve_timing.py 18099`.
"""
import json, sys, time, urllib.request, urllib.parse
port = sys.argv[1]
init = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/init"))
sc = [s for s in init["scenarios"] if "ovop.toml" in s["id"] and "fragmented" not in s["id"]][0]["id"]
q = urllib.parse.quote(json.dumps({"scenario": sc, "sets": [], "reps": 20, "seed": 1}))
t0 = time.time(); first = None; prog20 = None
with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/run?q={q}") as r:
    for line in r:
        line = line.decode().strip()
        if not line.startswith("data:"): continue
        d = json.loads(line[5:])
        if d["type"] == "progress":
            if first is None and (d["done"][0] > 0): first = time.time() - t0
            if prog20 is None and d["done"][0] >= 20: prog20 = time.time() - t0
        if d["type"] == "done":
            print(f"first programme replication {first:.2f} s; 20 programme replications {prog20:.2f} s; done (with baseline) {time.time()-t0:.2f} s"); break
