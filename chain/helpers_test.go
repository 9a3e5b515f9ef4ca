package chain_test

import "github.com/filecoin-project/go-address"

type addressT = address.Address
