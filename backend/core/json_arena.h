/* json_arena.h - short-lived jansson values from a per-thread arena.
 *
 * A page's model is thousands of small jansson values (a search page: about 4,000) that are
 * made, read once by the template and released together. With malloc each costs an allocation
 * and a free, and glibc consolidates its free lists on the next large allocation: two thirds of
 * the instructions of a search page went to malloc and free. Between json_arena_begin() and
 * json_arena_end() the calling thread's jansson allocations come from its arena instead: a
 * pointer bumped through chunks the thread keeps. Releasing a value made there costs nothing;
 * json_arena_end() takes all of it back at once.
 *
 * Rules inside a scope (they are the caller's to keep):
 *   - every value made in the scope is released (json_decref) before json_arena_end();
 *   - no value made in the scope is kept anywhere that outlives it (a cache, another thread);
 *   - text from json_dumps() made in the scope is not passed to free() (it is arena memory).
 * Values made outside a scope may be read, kept and released inside one: they go back to malloc.
 * Scopes do not nest: a json_arena_begin() inside a scope only counts, and the scope ends with
 * the outermost json_arena_end().
 *
 * Under AddressSanitizer every chunk is freed when the scope ends, so that a value used after
 * its scope is reported as a use after free.
 */
#ifndef PORTAL_JSON_ARENA_H
#define PORTAL_JSON_ARENA_H

#include <stdbool.h>
#include <stddef.h>

/* Routes jansson's allocations through the arena's functions (json_set_alloc_funcs). Call once
 * at start, before threads; outside a scope they are malloc and free. Safe to call again. */
void json_arena_install(void);

/* Starts a scope on this thread (see above). */
void json_arena_begin(void);

/* Ends this thread's scope: the memory of every value made in it is taken back. */
void json_arena_end(void);

/* Bytes handed out in this thread's current scope (0 outside one); for tests. */
size_t json_arena_used(void);

#endif
