package main

import (
	"fmt"
	"strconv"
)

func itoa(n int) string { return strconv.Itoa(n) }

func fmtSscan(s, format string, args ...any) (int, error) { return fmt.Sscanf(s, format, args...) }
