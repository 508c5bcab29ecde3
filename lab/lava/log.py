#!/usr/bin/python3
"""Take a lava-run job log apart (one YAML flow mapping a line).

    log.py LAVA.log OUTDIR

Writes OUTDIR/console.log (the device's console), OUTDIR/results.yaml
(every test case: definition, case, result, measurement, units; LAVA's
own cases under "lava") and, for each result directory that
lab/lava/dut-run.sh printed between "IB-RESULT-BEGIN NAME" and
"IB-RESULT-END NAME", OUTDIR/NAME.  Exit status 1 if a result directory
is damaged.
"""
import base64
import io
import json
import os
import re
import sys
import tarfile

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

if len(sys.argv) != 3:
    sys.exit("usage: log.py LAVA.log OUTDIR")
log, out = sys.argv[1:]
console, results, blobs = [], [], {}
name = None
with open(log, encoding="utf-8", errors="replace") as f:
    for line in f:
        # JSON, but for YAML's "!" tags on some values of results
        try:
            entry = json.loads(line)
        except ValueError:
            try:
                entry = yaml.load(line, Loader=Loader)
            except yaml.YAMLError:
                continue  # lava-run's own stderr
        if not isinstance(entry, dict):
            continue
        msg = entry.get("msg")
        if entry.get("lvl") == "results" and isinstance(msg, dict):
            results.append({k: msg[k] for k in ("definition", "case", "result",
                                                "measurement", "units") if k in msg})
        if entry.get("lvl") != "target" or not isinstance(msg, str):
            continue
        console.append(msg)
        text = msg.strip()
        m = re.match(r"IB-RESULT-(BEGIN|END) ([A-Za-z0-9._-]+)$", text)
        if m:
            name = m.group(2) if m.group(1) == "BEGIN" else None
            if name:
                blobs[name] = []
        elif name and re.fullmatch(r"[A-Za-z0-9+/=]+", text):
            blobs[name].append(text)

with open(os.path.join(out, "console.log"), "w") as f:
    f.write("\n".join(console) + "\n")
with open(os.path.join(out, "results.yaml"), "w") as f:
    yaml.safe_dump(results, f, sort_keys=False)
status = 0
for name, lines in blobs.items():
    try:
        data = base64.b64decode("".join(lines), validate=True)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            tar.extractall(os.path.join(out, name))
    except (ValueError, tarfile.TarError, EOFError, OSError) as e:
        print("log.py: %s: the result directory %s is damaged: %s" % (log, name, e),
              file=sys.stderr)
        status = 1
sys.exit(status)
