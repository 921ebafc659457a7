"""One run of the sanitized engine for the fuzzers (fuzz-engine.py, fuzz-flags.py): leaks and UB
reported and fatal, one thread, a time limit. Returns (process, "") or (None, why it failed)."""
import os
import re
import subprocess

SANITIZER = re.compile(rb"runtime error:|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer")
CASE_TIMEOUT_S = 60


def sanitized_run(argv):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=86",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=87", OMP_NUM_THREADS="1")
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=CASE_TIMEOUT_S, env=env,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, f"hang: no exit within {CASE_TIMEOUT_S} s"
    if SANITIZER.search(p.stderr):
        return None, f"sanitizer report (exit {p.returncode}):\n{p.stderr.decode(errors='replace')[-3000:]}"
    return p, ""
