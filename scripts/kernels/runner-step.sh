#!/bin/bash
# A step of the runner-like guest's runner@.service, run as the runner user
# beside another process of the service (the runner's own, as on GitHub's
# hosted runners): runner-step.sh MODE, its output in ~/work/MODE.
#   action   the action's run script (scripts/action.sh run), as a workflow
#            step runs it: through sudo where sudo needs no password
#   kill     the same, with a long timeout: the guest kills soakrun mid-run
#   user     soakrun without sudo, asking the user's own manager
set -u
mode=$1
dir=$HOME/work/$mode
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir" || exit 1
sleep 600 & # the runner's other process in the service's cgroup
bin=/opt/soakrun
leaky="$bin/leaky -rate 4 -churn 1 -children 2"
case $mode in
action | kill)
  export RUNNER_OS=Linux RUNNER_TEMP=$dir/_temp GITHUB_OUTPUT=$dir/output GITHUB_STEP_SUMMARY=$dir/summary
  export SOAKRUN_BIN=$bin/soakrun INPUT_OUTPUT_DIR=out INPUT_INTERVAL=250ms INPUT_MIN_SPAN=3s INPUT_WARMUP=1s INPUT_KILL_AFTER=1s
  export INPUT_COMMAND="id -u >uid; id -G >groups; echo \"\$HOME\" >home; exec $leaky"
  INPUT_TIMEOUT=8s
  [ "$mode" = kill ] && INPUT_TIMEOUT=120s
  export INPUT_TIMEOUT
  mkdir -p "$RUNNER_TEMP"
  : >"$GITHUB_OUTPUT"
  bash $bin/action.sh run >log 2>&1
  echo $? >status
  ;;
user | nobus)
  XDG_RUNTIME_DIR=/run/user/$(id -u)
  export XDG_RUNTIME_DIR
  # shellcheck disable=SC2086 # the command's words
  $bin/soakrun --timeout 6s --kill-after 1s --interval 250ms --min-span 0 -- $leaky >log 2>&1
  echo $? >status
  ;;
esac
