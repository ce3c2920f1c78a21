"""Read pip-audit's JSON and say plainly what was and was not checked.

pip-audit alone either fails on every package it could not look up (--strict)
or passes quietly over them. Here a known vulnerability always fails; packages
whose advisories could not be fetched (PyPI's per-release JSON is not served to
every network) are listed as NOT AUDITED, and fail only with AUDIT_STRICT=1.
"""

from __future__ import annotations

import json
import os
import sys


def main(path: str) -> int:
    with open(path) as file:
        report = json.load(file)
    packages = report["dependencies"]
    skipped = [p for p in packages if "skip_reason" in p]
    vulnerable = [p for p in packages if p.get("vulns")]
    audited = len(packages) - len(skipped)
    print(f"pip-audit: {audited} of {len(packages)} pinned packages checked, "
          f"{len(vulnerable)} with known vulnerabilities")  # fmt: skip
    for package in vulnerable:
        for vuln in package["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"  VULNERABLE {package['name']} {package['version']}: "
                  f"{vuln['id']} (fixed in {fixed})")  # fmt: skip
    if skipped:
        print(f"  NOT AUDITED: {len(skipped)} packages, e.g. "
              f"{skipped[0]['skip_reason']}")  # fmt: skip
    if vulnerable:
        return 1
    if skipped and os.environ.get("AUDIT_STRICT") == "1":
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
