"""Generates clients from chalicelib/openapi.json with the generators front-end teams use, and
fails when either breaks (`make clients`, CI):

- TypeScript: openapi-typescript (web/'s devDependencies) writes the types; a small program
  making an openapi-fetch client against them compiles with `tsc --strict`, libraries included
  (no skipLibCheck);
- TypeScript: orval (web/'s devDependencies, with axios for its default client) writes a fetch
  client and an axios client; a small program calling them (a confirmation, an import with an
  export's extra keys, a one-click unsubscribe form) compiles with both under `tsc --strict`;
- Python: openapi-python-client (requirements-dev.txt) generates a package with no warning, and
  the package imports.

    python -m devtools.clients                        # into build/clients/, exit 1 on any failure
    python -m devtools.clients --document other.json  # another document (an older one, say)

Needs node and npm (web/node_modules is installed with `npm ci` when missing).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "chalicelib" / "openapi.json"
WEB = ROOT / "web"
OUT = ROOT / "build" / "clients"
PYTHON_CONFIG = ROOT / "devtools" / "openapi-python-client.yaml"
PYTHON_PACKAGE = "stride_api_client"

# Uses the generated types the way an app does: typed paths, query parameters, headers and bodies.
# A document that loses a parameter or a header fails to compile here, not in someone's app.
TS_PROGRAM = """\
import createClient from "openapi-fetch";
import type { components, paths } from "./openapi";

type Weight = components["schemas"]["Weight"];

export async function latestWeights(baseUrl: string, token: string): Promise<Weight[]> {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: token } });
  const page = await client.GET("/weights", {
    params: { query: { limit: 10, from: "2024-01-01", to: "2024-12-31" } },
  });
  if (page.error) throw new Error(page.error.error.code);
  const next = page.data.next_cursor;
  if (next !== null) {
    await client.GET("/weights", { params: { query: { cursor: next } } });
  }
  await client.POST("/weights", {
    params: { header: { "Idempotency-Key": "k-1" } },
    body: { measured_at: "2024-05-01", weight: { value: 80, unit: "kg" } },
  });
  await client.PATCH("/weights/{weight_id}", {
    params: { path: { weight_id: "w1" }, header: { "If-Match": '"3"' } },
    body: { note: "after the run" },
  });
  const refreshed = await client.POST("/auth/refresh", { body: { refresh_token: "r" } });
  const tenant: string | null | undefined = refreshed.data?.claims.tenant_id;
  void tenant;
  return page.data.items;
}
"""

TS_CONFIG = {
    "compilerOptions": {
        "target": "ES2022",
        "lib": ["ES2022", "DOM"],
        "module": "ESNext",
        "moduleResolution": "bundler",
        "strict": True,
        "noEmit": True,
        "skipLibCheck": False,
        "types": [],
        # The program lives under build/: resolve openapi-fetch from the web app's node_modules.
        "baseUrl": ".",
        "paths": {"openapi-fetch": [os.path.relpath(WEB / "node_modules" / "openapi-fetch", OUT / "typescript")]},
    },
    "files": ["openapi.ts", "client.ts"],
}


ORVAL_CLIENTS = ("fetch", "axios")

# Calls orval's generated functions as an app would: what broke them (a type named twice, an import
# document's typed lists against its free-form extras, a form body with no field) fails here.
ORVAL_PROGRAM = """\
import * as fetchClient from "./fetch";
import * as axiosClient from "./axios";

export async function useFetchClient(): Promise<void> {
  const confirmed = await fetchClient.confirmSignUp({ email: "a@example.photography", code: "123456" });
  const result: fetchClient.ConfirmResult | fetchClient.ErrorEnvelope = confirmed.data;
  void result;
  const document: fetchClient.ImportDocument = { schema_version: 1, weights: [], exported_at: "2026-01-01" };
  await fetchClient.importData(document);
  await fetchClient.unsubscribeOneClick({ "List-Unsubscribe": "One-Click" }, { token: "t" });
}

export async function useAxiosClient(): Promise<void> {
  const api = axiosClient.getStrideAPI();
  const confirmed: axiosClient.ConfirmSignUpResult = await api.confirmSignUp({ email: "a@b.co", code: "1" });
  const result: axiosClient.ConfirmResult = confirmed.data;
  void result;
  await api.importData({ schema_version: 1, tasks: null, profile: { anything: true } });
  await api.unsubscribeOneClick({ "List-Unsubscribe": "One-Click" }, { token: "t" });
}
"""


def _web_package(name: str) -> str:
    return os.path.relpath(WEB / "node_modules" / name, OUT / "orval")


ORVAL_TS_CONFIG = {
    "compilerOptions": {
        **{key: value for key, value in TS_CONFIG["compilerOptions"].items() if key != "paths"},  # type: ignore[attr-defined]
        "paths": {"axios": [_web_package("axios")]},
    },
    "files": [*(f"{client}.ts" for client in ORVAL_CLIENTS), "program.ts"],
}


class ClientFailed(Exception):
    pass


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )
    if completed.returncode != 0:
        raise ClientFailed(f"{' '.join(command)} exited {completed.returncode}:\n{completed.stdout}")
    return completed.stdout


def typescript(document: Path) -> None:
    if shutil.which("npm") is None:
        raise ClientFailed("npm is not installed: the TypeScript client cannot be generated")
    if not (WEB / "node_modules" / ".bin" / "openapi-typescript").exists():
        _run(["npm", "ci", "--no-audit", "--no-fund"], WEB)
    out = OUT / "typescript"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    bin_dir = WEB / "node_modules" / ".bin"
    _run([str(bin_dir / "openapi-typescript"), str(document), "--output", str(out / "openapi.ts")], ROOT)
    (out / "client.ts").write_text(TS_PROGRAM)
    (out / "tsconfig.json").write_text(json.dumps(TS_CONFIG, indent=2) + "\n")
    _run([str(bin_dir / "tsc"), "--project", str(out / "tsconfig.json")], out)


def orval(document: Path) -> None:
    if shutil.which("npm") is None:
        raise ClientFailed("npm is not installed: the orval clients cannot be generated")
    bin_dir = WEB / "node_modules" / ".bin"
    if not (bin_dir / "orval").exists() or not (WEB / "node_modules" / "axios").exists():
        _run(["npm", "ci", "--no-audit", "--no-fund"], WEB)
    out = OUT / "orval"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for client in ORVAL_CLIENTS:
        command = [str(bin_dir / "orval"), "--input", str(document), "--output", str(out / f"{client}.ts")]
        _run([*command, "--client", client], out)
    (out / "program.ts").write_text(ORVAL_PROGRAM)
    (out / "tsconfig.json").write_text(json.dumps(ORVAL_TS_CONFIG, indent=2) + "\n")
    _run([str(bin_dir / "tsc"), "--project", str(out / "tsconfig.json")], out)


def python(document: Path) -> None:
    out = OUT / PYTHON_PACKAGE
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    # The generator formats its output with ruff, which it looks up on PATH: the venv's.
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [
        str(bin_dir / "openapi-python-client"),
        "generate",
        "--path",
        str(document),
        "--config",
        str(PYTHON_CONFIG),
        "--output-path",
        str(out),
        "--meta",
        "none",
        "--fail-on-warning",
    ]
    output = _run(command, ROOT, env)
    if "warning" in output.lower():  # belt and braces: a warning is a failure, however it is worded
        raise ClientFailed(f"openapi-python-client warned:\n{output}")
    _run([sys.executable, "-c", f"import {PYTHON_PACKAGE}.client, {PYTHON_PACKAGE}.api"], out.parent, env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate Stride's clients and check they build.")
    parser.add_argument("--document", type=Path, default=DOCUMENT, help="the OpenAPI document (default: %(default)s)")
    document = parser.parse_args(argv).document.resolve()
    failures = []
    generators = (
        ("TypeScript (openapi-typescript + tsc --strict)", typescript),
        ("TypeScript (orval fetch and axios + tsc --strict)", orval),
        ("Python", python),
    )
    for name, generate in generators:
        try:
            generate(document)
            print(f"clients: {name}: ok")
        except ClientFailed as failure:
            print(f"clients: {name}: FAILED\n{failure}", file=sys.stderr)
            failures.append(name)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
