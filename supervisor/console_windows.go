package supervisor

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/windows"

	"github.com/soakrun/soakrun/proc"
	"github.com/soakrun/soakrun/winjob"
)

// The graceful stop on Windows is a console control event to the console
// the command runs on. Sending one means attaching to that console, which
// means leaving one's own: soakrun cannot do that to itself (its console is
// its user's, and a Ctrl+C there must still reach it), so it re-executes
// itself as a short-lived sender, as the Unix guard is re-executed. The
// sender has no console of its own (DETACHED_PROCESS), attaches to each
// target's console in turn, ignores the event itself, sends it to the whole
// console, and prints the pids it reached.
const (
	envConsoleEvent = "SOAKRUN_CONSOLE_EVENT" // "EVENT PID@START..."
	// senderTimeout bounds one sender's run; it takes milliseconds.
	senderTimeout = 10 * time.Second
)

// runConsoleSender is the sender's whole life: spec is envConsoleEvent's
// value.
func runConsoleSender(spec string) int {
	// Go's runtime would end this process on CTRL_BREAK; while it is
	// attached to the target's console it receives what it sends.
	signal.Notify(make(chan os.Signal, 1), os.Interrupt)
	f := strings.Fields(spec)
	if len(f) < 2 {
		fmt.Fprintf(os.Stderr, "soakrun: bad %s %q\n", envConsoleEvent, spec)
		return 2
	}
	event, err := strconv.ParseUint(f[0], 10, 32)
	if err != nil {
		fmt.Fprintf(os.Stderr, "soakrun: bad console event %q\n", f[0])
		return 2
	}
	var targets []winjob.Target
	for _, s := range f[1:] {
		id, err := proc.ParseIdentity(s)
		if err != nil {
			fmt.Fprintf(os.Stderr, "soakrun: %v\n", err)
			return 2
		}
		targets = append(targets, winjob.Target{PID: uint32(id.PID), Start: id.Start})
	}
	reached, err := winjob.SendConsoleEvent(uint32(event), targets)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for _, p := range reached {
		fmt.Println(p)
	}
	return 0
}

// sendConsoleEvent has a sender deliver event to the consoles of members,
// main's first. It returns how many processes the event reached, or an
// error wrapping errNotDelivered when it reached none.
func sendConsoleEvent(event uint32, main proc.Identity, members []proc.Process) (int, error) {
	ids := []string{main.String()}
	for _, m := range members {
		// A console's host is not one of its clients: there is no
		// console to attach to through it.
		if m.Identity != main && !strings.EqualFold(m.Name, "conhost.exe") {
			ids = append(ids, m.Identity.String())
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("%w: find own executable: %w", errNotDelivered, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), senderTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), envConsoleEvent+"="+strconv.Itoa(int(event))+" "+strings.Join(ids, " "))
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.DETACHED_PROCESS}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// A sender that inherits soakrun's ignoring of CTRL_C (see
	// EnableCtrlCInChildren) sends one nobody gets, under Wine at least;
	// it ignores the event itself only once it is attached.
	restore := winjob.EnableCtrlCInChildren()
	err = cmd.Start()
	restore()
	if err == nil {
		err = cmd.Wait()
	}
	if err != nil {
		why := strings.TrimSpace(stderr.String())
		if why == "" {
			why = err.Error()
		}
		return 0, fmt.Errorf("%w: %s", errNotDelivered, why)
	}
	return len(strings.Fields(stdout.String())), nil
}
