#!/usr/bin/env bash
# Assembles the pull-request comment of the offline preview from offline-plans.sh's output.
# The first line is the marker by which the comment is found and updated, never duplicated.
#
# usage: tools/ci/preview-comment.sh OUT_DIR DIAGRAMS_URL BASE_SHA HEAD_SHA [STACK...] > comment.md
set -euo pipefail

readonly MARKER="<!-- multicloud-offline-preview -->"

if [[ $# -lt 4 ]]; then
  echo "usage: $0 OUT_DIR DIAGRAMS_URL BASE_SHA HEAD_SHA [STACK...]" >&2
  exit 2
fi
out_dir=$1
diagrams_url=$2
base_sha=$3
head_sha=$4
shift 4
stacks=("$@")
if [[ ${#stacks[@]} -eq 0 ]]; then
  stacks=(jp us uk)
fi

printf '%s\n' "$MARKER"
printf '## Offline preview of every stack\n\n'
printf "Plans of the program run offline under mocks (no cloud, no secrets): head \`%s\` compared with base \`%s\`.\n" \
  "${head_sha:0:12}" "${base_sha:0:12}"
if [[ -n "$diagrams_url" ]]; then
  printf 'Architecture diagrams of every stack (SVG) and the plans: [download the artifact](%s).\n' "$diagrams_url"
fi
printf "The real \`pulumi preview\` of each stack (refreshed, with the policy pack) comments separately where it can run (not for forks).\n"
for stack in "${stacks[@]}"; do
  printf '\n'
  if [[ -f "$out_dir/$stack.md" ]]; then
    cat "$out_dir/$stack.md"
  else
    printf "### Stack \`%s\`: no result\n" "$stack"
  fi
done
