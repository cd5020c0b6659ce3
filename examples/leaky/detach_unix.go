//go:build unix

package main

import "syscall"

func detach(newSession bool) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setsid: newSession}
}
