#!/usr/bin/env node
// `npm run bench -- <name> [args…]`: run the load benchmark tests/load/<name>.ts
// with tsx, passing the remaining arguments and the environment through, and
// exit with its exit code. No name or an unknown one lists the benchmarks.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const loadDir = path.join(root, "tests/load");

/** Benchmark names: the .ts files directly in tests/load (lib/ holds helpers, not benchmarks). */
function available() {
  if (!existsSync(loadDir)) return [];
  return readdirSync(loadDir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
    .map((e) => e.name.slice(0, -".ts".length))
    .sort();
}

const [name, ...rest] = process.argv.slice(2);
const names = available();

if (!name || !names.includes(name)) {
  if (name) console.error(`Unknown benchmark "${name}".`);
  console.error("Usage: npm run bench -- <name> [args…]");
  console.error(names.length ? `Available benchmarks:\n${names.map((n) => `  ${n}`).join("\n")}` : "No benchmarks in tests/load/.");
  process.exit(1);
}

const child = spawn(process.execPath, ["--import", "tsx", path.join("tests/load", `${name}.ts`), ...rest], {
  cwd: root,
  stdio: "inherit",
  env: process.env,
});
// Ctrl-C reaches the whole foreground group anyway; forward for a plain `kill` too.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("error", (error) => {
  console.error(`Cannot run the benchmark: ${error.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
