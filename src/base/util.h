/*
 * util.h (private): allocation and small string helpers.
 *
 * Every allocation in the core goes through gr_malloc/gr_realloc so that a
 * test can make the Nth one fail (GRANTREC_FAIL_ALLOC_AT, see
 * docs/testing.md) and check that the run still ends in a clean error.
 */
#ifndef GRANTREC_UTIL_H
#define GRANTREC_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void *gr_malloc(size_t size);
void *gr_calloc(size_t count, size_t size);
void *gr_realloc(void *ptr, size_t size);
char *gr_strdup(const char *s);
char *gr_strndup(const char *s, size_t n);
char *gr_vasprintf(const char *fmt, va_list ap);
char *gr_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grows *items (of *cap elements of `size` bytes) to hold at least `need`. */
bool gr_grow(void **items, size_t *cap, size_t need, size_t size);

/* qsort that accepts an empty (NULL) array, which qsort itself may not. */
void gr_sort(void *base, size_t count, size_t size,
             int (*cmp)(const void *, const void *));

/* Joins a path relative to `dir` (absolute paths are kept) and removes
 * "./" and "x/../" lexically so messages show the path a user would type. */
char *gr_path_join(const char *dir, const char *rel);
/* The folder part of a path ("." when there is none). */
char *gr_path_dir(const char *path);

/* Copies `text` without leading and trailing ASCII spaces and tabs. */
char *gr_trim_dup(const char *text);
/* Returns a pointer past leading spaces; writes the trimmed length. */
const char *gr_trim(const char *text, size_t *len);

/* Installs the allocation-failure hook from the environment (tests only)
 * and routes GMP's allocations through it. */
void gr_alloc_setup(void);
/* True once the hook has failed an allocation. */
bool gr_alloc_failed(void);

#endif
