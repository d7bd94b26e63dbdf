"""Runs each Python sample file named on the command line, in this one interpreter, and prints one
JSON line per sample: {"file", "ok", "error"}. Each runs as __main__ in the current directory with the
environment it was given (base URL and credentials); any exception, including an HTTP error from
raise_for_status(), is a failure. Used by tests/spec/python-samples.test.ts."""
import contextlib
import io
import json
import runpy
import sys
import traceback

for path in sys.argv[1:]:
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output):
            runpy.run_path(path, run_name="__main__")
        print(json.dumps({"file": path, "ok": True}), flush=True)
    except BaseException:  # noqa: BLE001 - a sample's SystemExit is a failure too
        error = traceback.format_exc(limit=-1).strip().splitlines()
        print(json.dumps({"file": path, "ok": False, "error": " | ".join(error[-3:])}), flush=True)
