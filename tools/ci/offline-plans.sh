#!/usr/bin/env bash
# The offline preview of a pull request: for every stack, the plan of the base commit and the
# plan of the head commit, compared. Needs no secrets and no cloud, so it runs for forks too.
#
# usage: tools/ci/offline-plans.sh BASE_DIR HEAD_DIR OUT_DIR [STACK...]
#   BASE_DIR, HEAD_DIR  checkouts of the two commits, each with its node_modules installed
#   OUT_DIR             receives, per stack: base/STACK.json (the base plan), head/STACK/ (the
#                       head plan's files: plan.json, architecture.svg, ...) and STACK.md (the
#                       diff as Markdown)
#   STACK...            default: jp us uk
# Exit status: 0 when every head plan ran clean; 1 when one failed or broke a mandatory policy
# (its STACK.md says why, and still shows the diff of a plan that ran).
set -euo pipefail

if [[ $# -lt 3 ]]; then
  echo "usage: $0 BASE_DIR HEAD_DIR OUT_DIR [STACK...]" >&2
  exit 2
fi
base_dir=$(cd "$1" && pwd)
head_dir=$(cd "$2" && pwd)
mkdir -p "$3"
out_dir=$(cd "$3" && pwd)
shift 3
stacks=("$@")
if [[ ${#stacks[@]} -eq 0 ]]; then
  stacks=(jp us uk)
fi
mkdir -p "$out_dir/base" "$out_dir/head" "$out_dir/logs"

failed=0
for stack in "${stacks[@]}"; do
  base_json="$out_dir/base/$stack.json"
  markdown="$out_dir/$stack.md"
  note=""
  base_status=0
  (cd "$base_dir" && npm run --silent plan -- --stack "$stack" --json "$base_json") \
    >"$out_dir/logs/base-$stack.log" 2>&1 || base_status=$?
  # A base that broke a mandatory policy (exit 3) still wrote its plan.
  if ! { ((base_status == 0 || base_status == 3)) && [[ -s "$base_json" ]]; }; then
    # A stack new in this pull request (or a base that cannot plan): compare with nothing.
    printf '{"stack":"%s","project":"multicloud","resources":[],"outputs":{}}\n' "$stack" >"$base_json"
    note="The base commit has no plan of stack \`$stack\`: every resource shows as added."
  fi
  status=0
  (cd "$head_dir" && npm run --silent plan -- --stack "$stack" --diff "$base_json" --markdown \
    --out "$out_dir/head/$stack") >"$markdown.tmp" 2>"$out_dir/logs/head-$stack.log" || status=$?
  # Exit 3 is a plan that ran and broke a mandatory policy: its diff is shown all the same.
  if ((status == 0 || status == 3)); then
    {
      cat "$markdown.tmp"
      if [[ -n "$note" ]]; then printf '\n%s\n' "$note"; fi
      if ((status == 3)); then
        printf '\n:no_entry: **Mandatory policy violations**: the deploy would be refused.\n'
      fi
      # The policy pack's verdict, from its summary line on.
      printf '\n```text\n'
      sed -n '/^Policies: /,$p' "$out_dir/logs/head-$stack.log"
      printf '```\n'
    } >"$markdown"
    if ((status == 3)); then failed=1; fi
  else
    failed=1
    {
      printf "### Stack \`%s\`: :x: the plan failed\n\n" "$stack"
      printf '```text\n'
      tail -n 30 "$out_dir/logs/head-$stack.log"
      printf '```\n'
    } >"$markdown"
  fi
  rm -f "$markdown.tmp"
  echo "offline-plans: $stack done"
done
exit "$failed"
