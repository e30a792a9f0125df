#include "grantrec/strset.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static long lookup(const struct gr_strset *set, const char *s, size_t len,
                   size_t *slot_out)
{
	if (set->nslots == 0) {
		*slot_out = 0;
		return -1;
	}
	size_t mask = set->nslots - 1;
	size_t i = (size_t)hash_bytes(s, len) & mask;
	for (;;) {
		uint32_t v = set->slots[i];
		if (v == 0) {
			*slot_out = i;
			return -1;
		}
		const char *t = set->strings[v - 1];
		if (strlen(t) == len && memcmp(t, s, len) == 0)
			return (long)v - 1;
		i = (i + 1) & mask;
	}
}

static int rehash(struct gr_strset *set, size_t nslots)
{
	uint32_t *slots = gr_calloc(nslots, sizeof(*slots));
	if (!slots)
		return -1;
	free(set->slots);
	set->slots = slots;
	set->nslots = nslots;
	for (size_t id = 0; id < set->count; id++) {
		size_t slot;
		lookup(set, set->strings[id], strlen(set->strings[id]), &slot);
		set->slots[slot] = (uint32_t)id + 1;
	}
	return 0;
}

long gr_strset_find(const struct gr_strset *set, const char *s, size_t len)
{
	size_t slot;
	return lookup(set, s, len, &slot);
}

long gr_strset_intern(struct gr_strset *set, const char *s, size_t len)
{
	size_t slot;
	long id = lookup(set, s, len, &slot);
	if (id >= 0)
		return id;
	if ((set->count + 1) * 2 > set->nslots) {
		if (rehash(set, set->nslots ? set->nslots * 2 : 16) < 0)
			return -1;
		lookup(set, s, len, &slot);
	}
	if (!gr_grow((void **)&set->strings, &set->cap, set->count + 1,
	             sizeof(*set->strings)))
		return -1;
	char *copy = gr_strndup(s, len);
	if (!copy)
		return -1;
	set->strings[set->count] = copy;
	set->slots[slot] = (uint32_t)set->count + 1;
	return (long)set->count++;
}

void gr_strset_release(struct gr_strset *set)
{
	for (size_t i = 0; i < set->count; i++)
		free(set->strings[i]);
	free(set->strings);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}
