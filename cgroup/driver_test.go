package cgroup

import "testing"

func TestParseDriver(t *testing.T) {
	for _, d := range []Driver{DriverAuto, DriverOwn, DriverSystemd, DriverCgroupfs} {
		got, err := ParseDriver(d.String())
		if err != nil || got != d {
			t.Errorf("ParseDriver(%q) = %v, %v", d.String(), got, err)
		}
	}
	if _, err := ParseDriver("docker"); err == nil || err.Error() != `"docker" is not auto, own, systemd or cgroupfs` {
		t.Errorf("ParseDriver(docker): %v", err)
	}
}
