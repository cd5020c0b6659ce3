package main

import (
	"os"
	"os/signal"
	"syscall"
)

func stopChannel() chan os.Signal {
	stop := make(chan os.Signal, 2)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	return stop
}
