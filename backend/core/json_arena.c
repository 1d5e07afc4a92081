/* json_arena.c - short-lived jansson values from a per-thread arena; see json_arena.h. */
#include "json_arena.h"

#include <jansson.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_KEEPS_CHUNK 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_KEEPS_CHUNK 0
#endif
#endif
#ifndef ARENA_KEEPS_CHUNK
#define ARENA_KEEPS_CHUNK 1   /* the first chunk serves the thread's next scope */
#endif

#define CHUNK_SIZE (64 * 1024)   /* bytes of data in a chunk; a search page uses about 200 KiB */
#define ALIGN 16                 /* what malloc guarantees on x86-64 */

struct chunk {
	struct chunk *next;   /* the chunk filled before this one */
	char *end;            /* one past the last byte of data */
	alignas(ALIGN) char data[];
};

struct arena {
	int depth;            /* scopes begun and not ended */
	struct chunk *head;   /* the chunk being filled (its data up to `next` is in use) */
	char *next;
	size_t used;
};

static _Thread_local struct arena arena;

/* A new chunk of at least `size` bytes of data, put in front of the thread's chunks. */
static struct chunk *chunk_add(struct arena *a, size_t size)
{
	struct chunk *c = malloc(sizeof *c + size);

	if (c == NULL)
		return NULL;
	c->end = c->data + size;
	c->next = a->head;
	a->head = c;
	a->next = c->data;
	return c;
}

static void *arena_malloc(size_t size)
{
	struct arena *a = &arena;
	size_t n;
	void *p;

	if (a->depth == 0)
		return malloc(size);
	if (size > SIZE_MAX - ALIGN)
		return NULL;
	n = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (a->head == NULL || n > (size_t)(a->head->end - a->next)) {
		if (chunk_add(a, n > CHUNK_SIZE / 4 ? n : CHUNK_SIZE) == NULL)
			return NULL;
	}
	p = a->next;
	a->next += n;
	a->used += n;
	return p;
}

/* True when p is in one of the thread's chunks. */
static bool arena_owns(const struct arena *a, const void *p)
{
	const struct chunk *c;
	uintptr_t q = (uintptr_t)p;

	for (c = a->head; c != NULL; c = c->next)
		if (q >= (uintptr_t)c->data && q < (uintptr_t)c->end)
			return true;
	return false;
}

static void arena_free(void *p)
{
	struct arena *a = &arena;

	if (p == NULL || (a->depth > 0 && arena_owns(a, p)))
		return;
	free(p);
}

void json_arena_install(void)
{
	json_set_alloc_funcs(arena_malloc, arena_free);
}

void json_arena_begin(void)
{
	struct arena *a = &arena;

	if (a->depth++ > 0)
		return;
	a->used = 0;
	a->next = a->head != NULL ? a->head->data : NULL;
}

void json_arena_end(void)
{
	struct arena *a = &arena;
	struct chunk *c, *next, *keep = NULL;

	if (a->depth == 0 || --a->depth > 0)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (ARENA_KEEPS_CHUNK && keep == NULL && c->end - c->data == CHUNK_SIZE) {
			keep = c;
			keep->next = NULL;
		} else {
			free(c);
		}
	}
	a->head = keep;
	a->next = keep != NULL ? keep->data : NULL;
	a->used = 0;
}

size_t json_arena_used(void)
{
	return arena.depth > 0 ? arena.used : 0;
}
