#!/usr/bin/env bash
# The shell steps of the soakrun GitHub Action (action.yml), run with bash on
# every runner (Git Bash on Windows):
#
#   action.sh build   build soakrun from the action's own source into
#                     $RUNNER_TEMP; step output "bin" is its path
#   action.sh run     run $INPUT_COMMAND under soakrun with the flags from
#                     the INPUT_* variables; step outputs verdict,
#                     leak-detected, exit-code, output-dir, jsonl, analysis,
#                     report; exits with soakrun's exit code
#
# The command is never pasted into a script of this action: it arrives in
# $INPUT_COMMAND and is written to a file that the chosen shell runs, as
# GitHub runs a `run:` step (bash --noprofile --norc -eo pipefail FILE;
# pwsh with $ErrorActionPreference = 'stop' and the last exit code kept).
set -euo pipefail

# die fails the step as soakrun fails a run it cannot start: 125.
die() {
  echo "::error title=soakrun action::$*"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then printf 'exit-code=125\nverdict=none\nleak-detected=false\n' >>"$GITHUB_OUTPUT"; fi
  exit 125
}

: "${RUNNER_TEMP:?}" "${RUNNER_OS:?}" "${GITHUB_OUTPUT:?}"
# native is a path as soakrun, a native program, takes it: on Windows (Git
# Bash) D:/a/_temp, which works for bash and Windows programs alike.
native() {
  if command -v cygpath >/dev/null; then cygpath -m "$1"; else printf '%s\n' "$1"; fi
}
RUNNER_TEMP=$(native "$RUNNER_TEMP")

build() {
  : "${GITHUB_ACTION_PATH:?}"
  local exe=soakrun ldflags=()
  [ "$RUNNER_OS" = Windows ] && exe=soakrun.exe
  local bin="$RUNNER_TEMP/soakrun-action/$exe"
  # The action's source comes without .git: the ref it was used at names
  # the build (uses: soakrun/soakrun@v1.2.0 → v1.2.0).
  if [ -n "${SOAKRUN_ACTION_REF:-}" ]; then
    ldflags=(-ldflags "-X github.com/soakrun/soakrun/internal/buildinfo.linkVersion=$SOAKRUN_ACTION_REF")
  fi
  # ${a[@]+...}: bash 3.2 calls an empty array unbound under set -u.
  (cd "$GITHUB_ACTION_PATH" && go build -trimpath ${ldflags[@]+"${ldflags[@]}"} -o "$bin" ./cmd/soakrun)
  "$bin" --version
  echo "bin=$bin" >>"$GITHUB_OUTPUT"
}

run() {
  : "${INPUT_COMMAND:?the command input is empty}" "${SOAKRUN_BIN:?}"
  local shell=${INPUT_SHELL:-}
  if [ -z "$shell" ]; then
    shell=bash
    [ "$RUNNER_OS" = Windows ] && shell=pwsh
  fi
  case $shell in
  bash | pwsh) ;;
  *) die "shell: '$shell' is neither bash nor pwsh" ;;
  esac
  # soakrun starts the shell this script finds, by its absolute path (on
  # Windows, Git's bash rather than any other bash.exe on the PATH).
  local shell_path
  shell_path=$(command -v "$shell") || die "shell: $shell is not installed on this runner"
  shell_path=$(native "$shell_path")
  local scripts script launch=()
  scripts=$(mktemp -d "$RUNNER_TEMP/soakrun-command.XXXXXX")
  case $shell in
  bash)
    script=$scripts/command.sh
    printf '%s\n' "$INPUT_COMMAND" >"$script"
    launch=("$shell_path" --noprofile --norc -eo pipefail "$script")
    ;;
  pwsh)
    script=$scripts/command.ps1
    {
      echo "\$ErrorActionPreference = 'stop'"
      printf '%s\n' "$INPUT_COMMAND"
      # shellcheck disable=SC2016 # PowerShell's variables, not ours
      echo 'if ((Test-Path -LiteralPath variable:\LASTEXITCODE)) { exit $LASTEXITCODE }'
    } >"$script"
    launch=("$shell_path" -NoLogo -NoProfile -NonInteractive -File "$script")
    ;;
  esac

  local dir=${INPUT_OUTPUT_DIR:-soakrun}
  mkdir -p "$dir"
  local jsonl=$dir/resources.jsonl
  local analysis=$dir/resources.analysis.json report=$dir/resources.report.html
  {
    echo "output-dir=$dir"
    echo "jsonl=$jsonl"
    echo "analysis=$analysis"
    echo "report=$report"
  } >>"$GITHUB_OUTPUT"

  local flags=(--output "$jsonl")
  flag() { if [ -n "$2" ]; then flags+=("$1" "$2"); fi; }
  flag --timeout "${INPUT_TIMEOUT:-}"
  flag --kill-after "${INPUT_KILL_AFTER:-}"
  flag --interval "${INPUT_INTERVAL:-}"
  flag --leak-threshold "${INPUT_LEAK_THRESHOLD:-}"
  flag --warmup "${INPUT_WARMUP:-}"
  flag --min-span "${INPUT_MIN_SPAN:-}"
  flag --leak-exit-code "${INPUT_LEAK_EXIT_CODE:-}"
  flag --top "${INPUT_TOP:-}"
  flag --push-gateway "${INPUT_PUSH_GATEWAY:-}"
  flag --push-job "${INPUT_PUSH_JOB:-}"
  case ${INPUT_JUDGE_HOST:-false} in
  true) flags+=(--judge-host) ;;
  false) ;;
  *) die "judge-host: '$INPUT_JUDGE_HOST' is neither true nor false" ;;
  esac
  # One flag or value per line, taken as it is: no word splitting, no globs.
  local line
  while IFS= read -r line; do
    line=${line%$'\r'}
    if [ -n "$line" ]; then flags+=("$line"); fi
  done <<<"${INPUT_ARGS:-}"

  # On Linux, a step that is not root gets a cgroup with controllers only
  # from systemd, which soakrun can ask as root: through sudo where it
  # needs no password, keeping the step's environment (-E; PATH, which
  # sudo's secure_path would replace, by env) and directory, the command
  # run as the step's user (--as-invoking-user).
  local via=()
  case ${INPUT_SUDO:-auto} in
  auto)
    if [ "$RUNNER_OS" = Linux ] && [ "$(id -u)" != 0 ] && sudo -n true 2>/dev/null; then
      via=(sudo -n -E env "PATH=$PATH")
      flags+=(--as-invoking-user)
    fi
    ;;
  never) ;;
  *) die "sudo: '$INPUT_SUDO' is neither auto nor never" ;;
  esac

  # Remove what an earlier run in this directory left, so the outputs
  # below can only describe this one.
  rm -f "$analysis" "$report"
  local code=0
  ${via[@]+"${via[@]}"} "$SOAKRUN_BIN" "${flags[@]}" -- "${launch[@]}" || code=$?
  rm -rf "$scripts"

  # The analysis is soakrun's indented JSON: its top-level keys are the
  # lines indented by two spaces.
  local verdict=none leak=false
  if [ -f "$analysis" ]; then
    verdict=$(sed -n 's/^  "verdict": "\([a-z_]*\)",\{0,1\}$/\1/p' "$analysis")
    leak=$(sed -n 's/^  "leak_detected": \([a-z]*\),\{0,1\}$/\1/p' "$analysis")
  fi
  {
    echo "exit-code=$code"
    echo "verdict=${verdict:-none}"
    echo "leak-detected=${leak:-false}"
  } >>"$GITHUB_OUTPUT"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    if [ "$verdict" = none ]; then
      echo "**soakrun exited with $code before judging the run**: see the step's log." >>"$GITHUB_STEP_SUMMARY"
    fi
    if [ -n "${INPUT_ARTIFACT_NAME:-}" ]; then
      # shellcheck disable=SC2016 # markdown's backquotes
      printf '\nThe series, the analysis and the HTML report are in the artifact `%s`.\n' "$INPUT_ARTIFACT_NAME" >>"$GITHUB_STEP_SUMMARY"
    fi
  fi
  return "$code"
}

case ${1:-} in
build) build ;;
run) run ;;
*) die "usage: action.sh build|run" ;;
esac
