#!/usr/bin/env bash
# Assembles the one pull-request comment of a preview run: per stack, the offline plan's diff and
# policy results (offline-plans.sh) and, where it ran, the real `pulumi preview`
# (pulumi-run.sh preview). The first line is the marker by which the comment is found and
# updated, never duplicated.
#
# usage: tools/ci/preview-comment.sh PARTS_DIR BASE_SHA HEAD_SHA REAL_RESULT [DIAGRAMS_URL] > comment.md
#   PARTS_DIR     the downloaded artifacts: offline-preview/STACK.md, real-preview-STACK/STACK.md
#   REAL_RESULT   the real preview job's result: success, failure, skipped or cancelled
set -euo pipefail

readonly MARKER="<!-- multicloud-preview -->"
readonly STACKS=(jp us uk)

if [[ $# -lt 4 ]]; then
  echo "usage: $0 PARTS_DIR BASE_SHA HEAD_SHA REAL_RESULT [DIAGRAMS_URL]" >&2
  exit 2
fi
parts=$1
base_sha=$2
head_sha=$3
real_result=$4
diagrams_url=${5:-}

printf '%s\n' "$MARKER"
printf '## Preview of every stack\n\n'
printf "Head \`%s\` against base \`%s\`. The offline plan runs the program under mocks (no cloud, no secrets) with the policy pack; the real preview runs \`pulumi preview\` against the estate with read-only credentials.\n" \
  "${head_sha:0:12}" "${base_sha:0:12}"
if [[ -n "$diagrams_url" ]]; then
  printf 'Architecture diagrams and plans of every stack: [download the artifact](%s).\n' "$diagrams_url"
fi

for stack in "${STACKS[@]}"; do
  printf "\n## \`%s\`\n\n" "$stack"
  if [[ -f "$parts/offline-preview/$stack.md" ]]; then
    cat "$parts/offline-preview/$stack.md"
  else
    printf "### Stack \`%s\`: no offline plan (the job did not finish)\n" "$stack"
  fi
  printf '\n'
  if [[ -f "$parts/real-preview-$stack/$stack.md" ]]; then
    cat "$parts/real-preview-$stack/$stack.md"
  else
    case "$real_result" in
      skipped) printf "Real preview: not run (a pull request from a fork, or the tests failed).\n" ;;
      *) printf "Real preview: no result (the job's result: %s).\n" "$real_result" ;;
    esac
  fi
done
