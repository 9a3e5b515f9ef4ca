package kernel

import (
	"github.com/filecoin-project/go-state-types/abi"
	"github.com/filecoin-project/go-state-types/exitcode"
)

// Well-known actor ids the kernel uses (fvm-abi.md §8.6).
const (
	systemActorID     abi.ActorID = 0
	initActorID       abi.ActorID = 1
	rewardActorID     abi.ActorID = 2
	eamActorID        abi.ActorID = 10
	burntFundsActorID abi.ActorID = 99
)

// FVM system exit codes whose go-state-types names predate the FVM
// (fvm-abi.md §2.2).
const (
	exitIllegalInstruction = exitcode.ExitCode(4)
	exitIllegalExitCode    = exitcode.ExitCode(9)
	exitAssertionFailed    = exitcode.ExitCode(10)
	exitMissingReturn      = exitcode.ExitCode(11)
)
