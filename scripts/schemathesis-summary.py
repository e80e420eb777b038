"""One line from schemathesis's NDJSON report: cases, checks run and failed, answers by status."""
import collections
import json
import sys

cases = 0
checks = collections.Counter()
statuses = collections.Counter()
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            recorder = finished.get("recorder", {})
            cases += len(recorder.get("cases", {}))
            for results in recorder.get("checks", {}).values():
                for check in results:
                    checks[check["status"]] += 1
            for interaction in recorder.get("interactions", {}).values():
                response = interaction.get("response")
                if response:
                    statuses[response["status_code"]] += 1

by_status = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
print(f"schemathesis: {cases} cases, {sum(checks.values())} checks, {checks['failure']} failed; responses by status: {by_status}")
