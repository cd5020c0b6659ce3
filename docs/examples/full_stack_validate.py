"""The shape of a soak test that stops cleanly under soakrun.

soakrun stops a run (at --timeout, on Ctrl+C, when the CI job is cancelled)
by asking the whole tree first and killing it after --kill-after:

- on Windows it sends CTRL_C to the console it gave the test, which every
  process on it gets, children included; Python raises KeyboardInterrupt;
- on Linux and macOS it sends --signal (SIGTERM by default) to every
  process in the tree; Python would end at once on SIGTERM, so the test
  turns it into KeyboardInterrupt below.

Either way the `finally` blocks run: the services are stopped and waited
for, and the report is written, before the grace runs out.

    soakrun --timeout 25h --kill-after 60s -- python full_stack_validate.py
"""

import json
import signal
import subprocess
import sys
import time


def main() -> int:
    # SIGTERM (Unix) becomes KeyboardInterrupt, as CTRL_C already is.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    results = {"checks": 0, "failures": 0, "stopped_by": None}
    # A service under test. Start it in the same console (no
    # CREATE_NEW_PROCESS_GROUP, which would make it ignore CTRL_C) so it is
    # asked to stop too.
    service = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1e9)"])
    try:
        while True:
            results["checks"] += 1
            if service.poll() is not None:
                results["failures"] += 1
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        results["stopped_by"] = "KeyboardInterrupt"
        return 0
    finally:
        # The service got the same CTRL_C (Windows) or signal (Unix); give it
        # a moment to finish, then make sure.
        try:
            service.wait(timeout=10)
        except subprocess.TimeoutExpired:
            service.kill()
            service.wait()
        with open("validate-report.json", "w") as f:
            json.dump(results, f)
        print(f"report written: {results}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
