"""Maps Corkline's ground truth (site/ground_truth.json) onto the format `redflag analyze --truth` reads."""
import json, sys
g = json.load(open(sys.argv[1]))
out = []
for path, a in g["ads"].items():
    out.append({
        "path": "/" + path.lstrip("/"),
        "phones": a.get("phones", []),
        "emails": a.get("emails", []),
        "handles": [f'{h["platform"]}:{h["handle"]}' for h in a.get("handles", [])],
        "network": a.get("network"),
        "company": a.get("advertiser"),
    })
json.dump(out, sys.stdout, indent=0)
