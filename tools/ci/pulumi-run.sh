#!/usr/bin/env bash
# The real Pulumi runs of the workflows, one place for all of them.
#
# usage: tools/ci/pulumi-run.sh preview|plan|apply|drift STACK OUT_DIR
#   preview  `pulumi preview` (refreshed, policy pack enforced); OUT_DIR/STACK.md is its part of the
#            pull request's comment
#   plan     the same, saving the update plan to OUT_DIR/STACK.plan.json; the preview goes to the
#            job summary, where reviewers read it before they approve the deploy
#   apply    `pulumi up` held to OUT_DIR/STACK.plan.json: the engine refuses any operation the
#            approved preview did not show (the estate changed since, or the program did)
#   drift    a refreshed preview that expects no changes; OUT_DIR/STACK.drift says clean, drift or
#            failed, and OUT_DIR/STACK.md shows the changes
# Environment: PULUMI_ORG (the stacks are PULUMI_ORG/STACK), PULUMI_ACCESS_TOKEN and the clouds'
# credentials, set by the calling job. Exit status: Pulumi's.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 preview|plan|apply|drift STACK OUT_DIR" >&2
  exit 2
fi
mode=$1
stack=$2
out_dir=$3
mkdir -p "$out_dir"
stack_ref="${PULUMI_ORG:?PULUMI_ORG names the Pulumi organization of the stacks}/$stack"
log="$out_dir/$stack.log"
# Output past this many characters is cut from the middle: a pull request comment holds 65,536.
readonly MAX_CHARS=18000

common=(--stack "$stack_ref" --non-interactive --color never --suppress-progress)

run_logged() {
  set +e
  "$@" >"$log" 2>&1
  local status=$?
  set -e
  return "$status"
}

# The same, shown live as well: a deploy runs for many minutes.
run_shown() {
  set +e
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  return "$status"
}

# A Markdown section with the run's output, cut in the middle when it is long.
section() {
  local title=$1
  local chars
  chars=$(wc -c <"$log")
  printf '### %s\n\n<details><summary>output (%s characters)</summary>\n\n```text\n' "$title" "$chars"
  if ((chars > MAX_CHARS)); then
    head -c $((MAX_CHARS / 3)) "$log"
    printf '\n... %s characters cut; the whole output is in the run log ...\n' $((chars - MAX_CHARS))
    tail -c $((MAX_CHARS * 2 / 3)) "$log"
  else
    cat "$log"
  fi
  printf '\n```\n\n</details>\n'
}

status=0
case "$mode" in
  preview)
    run_logged pulumi preview "${common[@]}" --refresh --diff --policy-pack policy || status=$?
    if ((status == 0)); then verdict=":white_check_mark: previewed"; else verdict=":x: failed (exit $status)"; fi
    section "Stack \`$stack\`: real preview $verdict" >"$out_dir/$stack.md"
    ;;
  plan)
    run_logged pulumi preview "${common[@]}" --refresh --diff --policy-pack policy \
      --save-plan "$out_dir/$stack.plan.json" || status=$?
    section "Stack \`$stack\`: what the deploy will apply (exit $status)" >"$out_dir/$stack.md"
    if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then cat "$out_dir/$stack.md" >>"$GITHUB_STEP_SUMMARY"; fi
    ;;
  apply)
    if [[ ! -s "$out_dir/$stack.plan.json" ]]; then
      echo "pulumi-run: no approved plan at $out_dir/$stack.plan.json: nothing is applied" >&2
      exit 2
    fi
    # The deploy key of the dedicated servers (jp) exists only here, behind the environment's
    # reviewers: it is written into this checkout's stack file, encrypted, for this run alone.
    if [[ -n "${MULTICLOUD_SSH_PRIVATE_KEY:-}" ]]; then
      printf '%s\n' "$MULTICLOUD_SSH_PRIVATE_KEY" |
        pulumi config set --secret --stack "$stack_ref" multicloud:sshPrivateKey
    fi
    # The preview was shown and approved: up applies that plan and nothing else.
    run_shown pulumi up "${common[@]}" --yes --skip-preview --refresh --policy-pack policy \
      --plan "$out_dir/$stack.plan.json" || status=$?
    ;;
  drift)
    run_logged pulumi preview "${common[@]}" --refresh --diff --expect-no-changes || status=$?
    if ((status == 0)); then
      echo clean >"$out_dir/$stack.drift"
    elif grep -Eq 'no changes were expected( for [^ ]+)? but changes were proposed' "$log"; then
      echo drift >"$out_dir/$stack.drift"
    else
      echo failed >"$out_dir/$stack.drift"
    fi
    section "Stack \`$stack\`: $(cat "$out_dir/$stack.drift")" >"$out_dir/$stack.md"
    ;;
  *)
    echo "pulumi-run: unknown mode $mode (preview, plan, apply or drift)" >&2
    exit 2
    ;;
esac
exit "$status"
