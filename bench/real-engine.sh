#!/usr/bin/env bash
# Wall time of `pulumi preview` (the real CLI, scripts/pulumi-cli.sh) on generated programs
# (bench/real-engine-program.ts, stand-in provider), a first preview with every ID unknown:
# no policy pack, the empty pack (bench/baseline-pack: no-op policies), and ours, in turn in each
# round. Prints one TSV line per run (size, round, pack, ms, "to create", our pack's AnalyzeStack ms
# as ELB_HEALTH_TRACE reports it, 1-minute load average before the run) and a Markdown table of medians.
#
#   bench/real-engine.sh [sizes, default "1000 5000"] [rounds, default 3]
#
# PULUMI_SKIP_CHECKPOINTS=true is set by default: the engine (v3.276, file backend) serializes and
# integrity-checks the whole snapshot after every step, even in a preview whose snapshot it then
# discards, which makes a preview quadratic in the stack size (at 1k, 70% of the CLI's CPU time;
# see docs/real-engine.md). That cost does not depend on the policy pack; it would only dilute the
# ratios. ELB_HEALTH_BENCH_CHECKPOINTS=1 keeps the engine's default.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SIZES="${1:-1000 5000}"
ROUNDS="${2:-3}"
BIN="$("$ROOT/scripts/pulumi-cli.sh" | tail -n 1)"
[ -f "$ROOT/dist/bench/real-engine-program.js" ] || (cd "$ROOT" && npm run build >/dev/null)
W="$(mktemp -d "${TMPDIR:-/tmp}/elb-health-bench-XXXXXX")"
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/project" "$W/state" "$W/home"
REL="$(node -e 'console.log(require("path").relative(process.argv[1], process.argv[2]))' "$W/project" "$ROOT/test/stand-in/huaweicloud")"
printf 'name: bench\nruntime: nodejs\nplugins:\n  providers:\n    - name: huaweicloud\n      path: %s\n' "$REL" > "$W/project/Pulumi.yaml"
for v in $(env | grep -o '^PULUMI_[A-Z_]*'); do unset "$v"; done
export PATH="$ROOT/test/stand-in/language-nodejs:$BIN:$PATH" PULUMI_HOME="$W/home" PULUMI_BACKEND_URL="file://$W/state"
export PULUMI_CONFIG_PASSPHRASE=bench PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true NO_COLOR=1
CHECKPOINTS="skipped (PULUMI_SKIP_CHECKPOINTS=true)"
if [ "${ELB_HEALTH_BENCH_CHECKPOINTS:-}" = 1 ]; then CHECKPOINTS="engine default"; else export PULUMI_SKIP_CHECKPOINTS=true; fi
cd "$W/project"
echo "pulumi $(pulumi version), node $(node --version), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), checkpoints $CHECKPOINTS, $(uptime | sed 's/.*load/load/')" >&2
OUT="$W/results.tsv"
n=0
for size in $SIZES; do
  for round in $(seq 1 "$ROUNDS"); do
    for pack in none empty ours; do
      n=$((n + 1)); stack="s$n"
      pulumi stack init "$stack" --non-interactive >/dev/null 2>&1
      args=(preview --non-interactive --stack "$stack")
      case $pack in empty) args+=(--policy-pack "$ROOT/bench/baseline-pack") ;; ours) args+=(--policy-pack "$ROOT") ;; esac
      load=$(cut -d' ' -f1 /proc/loadavg)
      t0=$(date +%s%N)
      ELB_HEALTH_TRACE=1 ELB_HEALTH_BENCH_RESOURCES=$size node "$ROOT/test/e2e/with-program.cjs" "$ROOT/dist/bench/real-engine-program.js" "${args[@]}" > "$W/last.out" 2>&1 || { echo "preview failed ($size, $pack):" >&2; tail -20 "$W/last.out" >&2; exit 1; }
      ms=$(( ($(date +%s%N) - t0) / 1000000 ))
      case $pack in
        empty) grep -q '✅ baseline@v1.0.0' "$W/last.out" || { echo "the empty pack did not run clean" >&2; exit 1; } ;;
        ours) grep -q '✅ huaweicloud-elb-health@v0.1.0' "$W/last.out" || { echo "our pack did not run clean" >&2; tail -30 "$W/last.out" >&2; exit 1; } ;;
      esac
      count=$(grep -oE '[0-9]+ to create' "$W/last.out" | grep -oE '^[0-9]+' || echo "?")
      # Our pack's own AnalyzeStack time ("one pass by ... in N ms", ELB_HEALTH_TRACE=1); "-" for the others.
      packms=$(grep -oE 'elb-health: one pass by [^ ]+ for [0-9]+ policies in [0-9]+ ms' "$W/last.out" | head -n 1 | grep -oE '[0-9]+ ms$' | grep -oE '^[0-9]+' || echo "-")
      if [ "$pack" = ours ] && [ "$packms" = "-" ]; then
        echo "our pack's trace line not found ($size, round $round); its elb-health lines:" >&2
        grep -o 'elb-health: .*' "$W/last.out" | sort -u | head -5 >&2 || true
      fi
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$round" "$pack" "$ms" "$count" "$packms" "$load" | tee -a "$OUT"
      pulumi stack rm "$stack" --yes --non-interactive >/dev/null
    done
  done
done
node - "$OUT" <<'EOJS'
const rows = require("fs").readFileSync(process.argv[2], "utf8").trim().split("\n").map((l) => l.split("\t"));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
console.log("\n| resources (to create) | rounds | no pack s | empty pack s | ours s | ours / empty | ours / no pack | our AnalyzeStack s | load (1 min) |\n|---:|---:|---:|---:|---:|---:|---:|---:|---|");
for (const size of [...new Set(rows.map((r) => r[0]))]) {
  const t = (p) => median(rows.filter((r) => r[0] === size && r[2] === p).map((r) => Number(r[3]) / 1000));
  const created = rows.find((r) => r[0] === size)[4];
  const rounds = new Set(rows.filter((r) => r[0] === size).map((r) => r[1])).size;
  const ours = rows.filter((r) => r[0] === size && r[2] === "ours" && r[5] !== "-").map((r) => Number(r[5]) / 1000);
  const loads = rows.filter((r) => r[0] === size).map((r) => Number(r[6]));
  const pass = ours.length ? median(ours).toFixed(1) : "?";
  console.log(`| ${created} | ${rounds} | ${t("none").toFixed(1)} | ${t("empty").toFixed(1)} | ${t("ours").toFixed(1)} | ${(t("ours") / t("empty")).toFixed(2)} | ${(t("ours") / t("none")).toFixed(2)} | ${pass} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} |`);
}
EOJS
