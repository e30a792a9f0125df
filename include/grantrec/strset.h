/*
 * strset.h: interned strings. Each distinct text is stored once
 * and named by a small id, in order of first appearance, so that budget
 * lines, countries and currencies compare as integers and keep a stable,
 * input-defined order.
 */
#ifndef GRANTREC_STRSET_H
#define GRANTREC_STRSET_H

#include <stddef.h>
#include <stdint.h>

struct gr_strset {
	char **strings;    /* by id */
	size_t count;
	size_t cap;
	uint32_t *slots;   /* open addressing: id + 1, 0 = empty */
	size_t nslots;
};

/* Returns the id of `s` (len bytes), adding it when new; -1 when out of
 * memory. The stored copy stays valid until gr_strset_release(). */
long gr_strset_intern(struct gr_strset *set, const char *s, size_t len);
/* Returns the id of `s`, or -1 when it is not in the set. */
long gr_strset_find(const struct gr_strset *set, const char *s, size_t len);
void gr_strset_release(struct gr_strset *set);

#endif
