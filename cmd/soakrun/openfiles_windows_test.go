package main

func setOpenFileLimit(int) {}
