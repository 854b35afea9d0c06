"""Runs one command and prints what it cost: wall seconds and peak resident memory.

Usage: python measure.py COMMAND [ARGS ...]
Prints one JSON line: {"seconds": ..., "peak_bytes": ..., "status": exit code, "stderr": tail}.
The peak is the child's maximum resident set size from getrusage(RUSAGE_CHILDREN), which the
kernel keeps exactly (no sampling); each measurement runs in a fresh interpreter, so the only
child it sees is this command.
"""
import json
import resource
import subprocess
import sys
import time

start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({
    "seconds": seconds,
    "peak_bytes": peak,
    "status": done.returncode,
    "stderr": done.stderr.decode(errors="replace")[-2000:],
}))
