package chain_test

import (
	"github.com/filecoin-project/go-address"
	"github.com/filecoin-project/go-state-types/exitcode"
)

type exitcodeT = exitcode.ExitCode

type addressT = address.Address

func exitOf(code int64) exitcodeT { return exitcodeT(code) }
