"""`make audit`: known vulnerabilities in the pinned Python packages and the front end's npm tree.

pip-audit asks PyPI's JSON API about each pin of requirements.lock (`--vulnerability-service
pypi`, the only advisory source this project's machines reach) and npm audit asks the npm
registry about frontend/package-lock.json. The run fails on any known vulnerability of a Python
pin (PyPI's advisories carry no severity, so all count) and on any high or critical one in npm.

A source that does not answer (a mirror without PyPI's per-version JSON, a registry without the
advisory endpoint) is not a pass: it is reported as NOT AUDITED, with how many packages it left
out, and fails the run when AUDIT_STRICT=1 (set it where the advisory sources are reachable).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def pip_audit() -> tuple[list[str], str | None]:
    """Returns (vulnerabilities found, why the audit could not be done or None)."""
    run = subprocess.run(  # noqa: S603 - our own virtualenv's tool
        [
            str(BIN / "pip-audit"),
            "--vulnerability-service",
            "pypi",
            "--requirement",
            str(ROOT / "requirements.lock"),
            # Exact pins: nothing to resolve, so nothing is installed to audit them.
            "--no-deps",
            "--disable-pip",
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        report = json.loads(run.stdout)
    except ValueError:
        return [], f"pip-audit did not answer ({run.returncode}): {run.stderr.strip()[-400:]}"
    found, skipped = [], []
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            skipped.append(dependency["name"])
        for vulnerability in dependency.get("vulns", []):
            fixes = ", ".join(vulnerability.get("fix_versions", [])) or "none yet"
            found.append(
                f"{dependency['name']} {dependency['version']}: {vulnerability['id']} "
                f"(fixed in {fixes})"
            )
    total = len(report.get("dependencies", []))
    if skipped:
        return found, (
            f"pip-audit could not audit {len(skipped)} of {total} pinned packages "
            f"(PyPI's per-version JSON did not answer), e.g. {', '.join(skipped[:5])}"
        )
    return found, None


def npm_audit() -> tuple[list[str], str | None]:
    run = subprocess.run(
        ["npm", "audit", "--audit-level=high", "--json"],  # noqa: S607 - npm from PATH
        cwd=ROOT / "frontend",
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        report = json.loads(run.stdout)
    except ValueError:
        return [], f"npm audit did not answer ({run.returncode}): {run.stderr.strip()[-400:]}"
    if "error" in report or "statusCode" in report:
        error = report.get("error") or {}
        why = report.get("message") or error.get("summary") or error.get("detail") or run.stderr
        return [], f"the advisory endpoint did not answer: {str(why).strip()[-300:]}"
    found = [
        f"{name}: {advice.get('severity')} ({advice.get('range', '')})"
        for name, advice in report.get("vulnerabilities", {}).items()
        if advice.get("severity") in ("high", "critical")
    ]
    return found, None


def main() -> int:
    strict = os.environ.get("AUDIT_STRICT") == "1"
    failed = False
    for label, audit in (("Python (pip-audit)", pip_audit), ("npm (npm audit)", npm_audit)):
        found, not_done = audit()
        for line in found:
            print(f"VULNERABLE {label}: {line}")
        if found:
            failed = True
        if not_done:
            print(f"NOT AUDITED {label}: {not_done}")
            failed = failed or strict
        if not found and not not_done:
            print(f"{label}: no known vulnerability")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
