package main

// wasmtime-go has no setter for the pooling allocator, but the static
// library it links carries wasmtime's C API for it. The prototypes below are
// that API's (wasmtime/config.h); the symbols resolve against the library
// wasmtime-go already links.

/*
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef struct wasm_config_t wasm_config_t;
typedef struct wasmtime_pooling_allocation_config_t wasmtime_pooling_allocation_config_t;

extern wasmtime_pooling_allocation_config_t *wasmtime_pooling_allocation_config_new(void);
extern void wasmtime_pooling_allocation_config_delete(wasmtime_pooling_allocation_config_t *);
extern void wasmtime_pooling_allocation_config_total_core_instances_set(wasmtime_pooling_allocation_config_t *, uint32_t);
extern void wasmtime_pooling_allocation_config_total_memories_set(wasmtime_pooling_allocation_config_t *, uint32_t);
extern void wasmtime_pooling_allocation_config_max_memories_per_module_set(wasmtime_pooling_allocation_config_t *, uint32_t);
extern void wasmtime_pooling_allocation_config_total_tables_set(wasmtime_pooling_allocation_config_t *, uint32_t);
extern void wasmtime_pooling_allocation_config_max_tables_per_module_set(wasmtime_pooling_allocation_config_t *, uint32_t);
extern void wasmtime_pooling_allocation_config_table_elements_set(wasmtime_pooling_allocation_config_t *, size_t);
extern void wasmtime_pooling_allocation_config_total_component_instances_set(wasmtime_pooling_allocation_config_t *, uint32_t);
extern void wasmtime_pooling_allocation_config_max_component_instance_size_set(wasmtime_pooling_allocation_config_t *, size_t);
extern void wasmtime_pooling_allocation_config_max_core_instances_per_component_set(wasmtime_pooling_allocation_config_t *, uint32_t);
extern void wasmtime_pooling_allocation_config_max_memories_per_component_set(wasmtime_pooling_allocation_config_t *, uint32_t);
extern void wasmtime_pooling_allocation_config_max_tables_per_component_set(wasmtime_pooling_allocation_config_t *, uint32_t);
extern void wasmtime_pooling_allocation_config_max_memory_size_set(wasmtime_pooling_allocation_config_t *, size_t);
extern void wasmtime_pooling_allocation_strategy_set(wasm_config_t *, const wasmtime_pooling_allocation_config_t *);
extern void wasmtime_config_memory_init_cow_set(wasm_config_t *, bool);
extern void wasmtime_config_memory_may_move_set(wasm_config_t *, bool);

static void gofvm_pooling(wasm_config_t *c, uint32_t instances, uint32_t table_elements, size_t max_memory) {
	wasmtime_pooling_allocation_config_t *p = wasmtime_pooling_allocation_config_new();
	wasmtime_pooling_allocation_config_total_core_instances_set(p, instances);
	wasmtime_pooling_allocation_config_total_memories_set(p, instances);
	wasmtime_pooling_allocation_config_max_memories_per_module_set(p, 1);
	wasmtime_pooling_allocation_config_total_tables_set(p, instances);
	wasmtime_pooling_allocation_config_max_tables_per_module_set(p, 1);
	wasmtime_pooling_allocation_config_table_elements_set(p, table_elements);
	wasmtime_pooling_allocation_config_total_component_instances_set(p, 0);
	wasmtime_pooling_allocation_config_max_component_instance_size_set(p, 0);
	wasmtime_pooling_allocation_config_max_core_instances_per_component_set(p, 0);
	wasmtime_pooling_allocation_config_max_memories_per_component_set(p, 0);
	wasmtime_pooling_allocation_config_max_tables_per_component_set(p, 0);
	wasmtime_pooling_allocation_config_max_memory_size_set(p, max_memory);
	wasmtime_pooling_allocation_strategy_set(c, p);
	wasmtime_pooling_allocation_config_delete(p);
	wasmtime_config_memory_init_cow_set(c, false);
	wasmtime_config_memory_may_move_set(c, false);
}
*/
import "C"

import (
	"unsafe"

	"github.com/bytecodealliance/wasmtime-go/v35"
)

// setPooling gives cfg the pooling allocator with the given limits, and
// turns copy-on-write memory images and moving memories off, as ref-fvm does.
// wasmtime-go's Config is a struct holding only the C config pointer; this
// reads that pointer.
func setPooling(cfg *wasmtime.Config, instances, tableElements uint32, maxMemory uint64) {
	ptr := *(*unsafe.Pointer)(unsafe.Pointer(cfg))
	C.gofvm_pooling((*C.wasm_config_t)(ptr), C.uint32_t(instances), C.uint32_t(tableElements), C.size_t(maxMemory))
}
