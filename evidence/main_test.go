package evidence

import (
	"os"
	"testing"

	"github.com/soakrun/soakrun/internal/testproc"
)

func TestMain(m *testing.M) {
	testproc.Main()
	os.Exit(m.Run())
}
